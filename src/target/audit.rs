//! The profile check made before a run: mistakes in a target profile that would otherwise
//! look like the vendor's bugs. Two roles with one organisation code make an access-control
//! case call as the wrong organisation (a refusal expected for `other-jobcenter` is then a
//! pass for `jobcenter`, or the other way round); a role without a code cannot be told apart;
//! a role the corpus calls as but the profile lacks turns every case of it into "not
//! applicable". Each is warned once, before the first case runs. The main entry point is
//! [`audit`].

use std::collections::{BTreeMap, BTreeSet};

use super::profile::Profile;

/// One thing wrong with a profile's roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileWarning {
    /// Several roles carry one organisation type and code.
    SharedCode {
        organisation: String,
        code: String,
        roles: Vec<String>,
    },
    /// A role whose organisation code is empty.
    NoCode { role: String },
    /// Cases call as a role the profile does not define.
    MissingRole { role: String, cases: usize },
}

impl std::fmt::Display for ProfileWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProfileWarning::SharedCode {
                organisation,
                code,
                roles,
            } => write!(
                f,
                "roles {} share the organisation {organisation} {code}: cases that tell them \
                 apart (own and other organisation) cannot pass or fail for the right reason",
                roles
                    .iter()
                    .map(|r| format!("`{r}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            ProfileWarning::NoCode { role } => write!(
                f,
                "role `{role}` has no organisation code: give it the code of a test organisation"
            ),
            ProfileWarning::MissingRole { role, cases } => write!(
                f,
                "{cases} case(s) call as role `{role}`, which the profile does not define: they \
                 will be not applicable"
            ),
        }
    }
}

/// Checks a profile's roles against the roles the chosen cases call as (`used`: role name to
/// number of cases). Warnings come in a fixed order: shared codes, missing codes, missing
/// roles, each sorted by name.
pub fn audit(profile: &Profile, used: &BTreeMap<String, usize>) -> Vec<ProfileWarning> {
    let mut warnings = Vec::new();
    let mut by_code: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (name, role) in &profile.roles {
        let code = role.code.trim();
        if code.is_empty() {
            continue;
        }
        by_code
            .entry((role.organisation.to_string(), code.to_string()))
            .or_default()
            .push(name.clone());
    }
    for ((organisation, code), roles) in by_code {
        if roles.len() > 1 {
            warnings.push(ProfileWarning::SharedCode {
                organisation,
                code,
                roles,
            });
        }
    }
    for (name, role) in &profile.roles {
        if role.code.trim().is_empty() {
            warnings.push(ProfileWarning::NoCode { role: name.clone() });
        }
    }
    let defined: BTreeSet<&str> = profile.roles.keys().map(String::as_str).collect();
    for (role, &cases) in used {
        if !defined.contains(role.as_str()) {
            warnings.push(ProfileWarning::MissingRole {
                role: role.clone(),
                cases,
            });
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(yaml: &str) -> Profile {
        serde_saphyr::from_str(yaml).unwrap()
    }

    #[test]
    fn warns_of_shared_codes_missing_codes_and_missing_roles() {
        let p = profile(
            "name: vendor\nbase_url: https://vendor.example\nroles:\n  \
             jobcenter: { organisation: JobCenter, code: '10101' }\n  \
             other-jobcenter: { organisation: JobCenter, code: '10101' }\n  \
             kommune: { organisation: Kommune, code: '' }\n  \
             akasse: { organisation: A-kasse, code: '10101' }\n",
        );
        let used = BTreeMap::from([("jobcenter".to_string(), 30), ("star".to_string(), 4)]);
        let w = audit(&p, &used);
        assert_eq!(
            w,
            vec![
                ProfileWarning::SharedCode {
                    organisation: "JobCenter".into(),
                    code: "10101".into(),
                    roles: vec!["jobcenter".into(), "other-jobcenter".into()],
                },
                ProfileWarning::NoCode {
                    role: "kommune".into()
                },
                ProfileWarning::MissingRole {
                    role: "star".into(),
                    cases: 4
                },
            ]
        );
        assert!(
            w[0].to_string().contains(
                "`jobcenter` and `other-jobcenter` share the organisation JobCenter 10101"
            )
        );
        let fine = profile(
            "name: vendor\nbase_url: https://vendor.example\nroles:\n  \
             jobcenter: { organisation: JobCenter, code: '10101' }\n",
        );
        assert!(audit(&fine, &BTreeMap::from([("jobcenter".to_string(), 1)])).is_empty());
    }
}
