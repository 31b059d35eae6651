//! The domain choices of the reference where the documents are silent, in one place. Every
//! code value is read from the overlay's code lists by list and meaning; where the overlay has
//! no such entry, the value the documents themselves print is used (kontaktgruppe 1 =
//! Dagpengemodtager and 2 = KTH from the error texts 5013 and 100049, fraværstype 11 = illness
//! from 6058, samtaletype 18 = "Samtale i rehabiliteringsteam" and 8 = henvisningssamtale,
//! kontaktform 6 = "Møde direkte på arbejde", deltagelsesstatus 5/6 for the rehab team (9125)
//! and 1–4 for a-kasse interviews (9126), kontaktgrupper 24 and 25 from 5018).
//!
//! The choices (each a minimal rule that lets a case provoke its code deterministically):
//! - A code-list value is valid when the overlay's list holds it or it lies in 1–99
//!   ([`CODE_RANGE`]); 0, negative values and values of 100 or more are invalid (4675, 4708,
//!   4709, 8176, 8177, 8178, 4664, 4340, 100052).
//! - A contact group is *in force* at an instant from its EventTime (the documents:
//!   "i forhold til EventTime på kontaktgruppen") until its end, inclusive by date.
//! - Interviews: every interview type suits every contact group, but an interview needs a
//!   contact group in force on its day (8058); the rehab-team interview (18) needs
//!   InterviewWithMoreAuthorities (6054, the reading more-authorities-types) and, for contact
//!   groups 1 and 2, a current illness (6058). Every interview type resets the
//!   contact-frequency clock except 8 and 18.
//! - Interviews with more authorities need a participant (6055) and a participation status
//!   (6056; for the rehab team the reading rehab-exemptions); that status must be 1–4 (9126)
//!   except for the rehab team, where it must be 5 or 6 (9125).
//! - Contact groups: a citizen aged under 18 or 67 or over at the start gets 6033; contact group
//!   1 needs an enrollment (4731) and is not created by a JobCenter (9331); contact groups 24
//!   and 25 need an active absence (8190), the others conflict with one (4645); a new contact
//!   group must differ from the one before it (8096); CVServiceForDFDG and SetFlexijobApproved
//!   are called for every contact-group registration (9346, 9337), and the citizen must have a
//!   CV number (9336).
//! - Person categories need an enrollment (4656) and a contact group in force at the incident
//!   date (4716); the code list's meanings decide the rest (see [`category_rule`]).
//! - A jobcentre exists (4695) when the reference knows it from the citizen: the caller's own
//!   code, the citizen's current or former jobcentre, or a party of one of its move flows.

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::Call;
use crate::reference::store::{Citizen, ContactGroup};

/// Overlay code-list names the reference reads.
pub mod lists {
    pub const KONTAKTGRUPPE: &str = "kontaktgruppe";
    pub const FRAVAERSTYPE: &str = "fravaerType";
    pub const SAMTALETYPE: &str = "samtaletype";
    pub const KONTAKTFORM: &str = "kontaktform";
    pub const DELTAGELSESSTATUS: &str = "deltagelsesstatus";
    pub const DELTAGERTYPE: &str = "deltagertype";
    pub const PERSONKATEGORI: &str = "personkategori";
    pub const AFMELDINGSAARSAG: &str = "afmeldingsaarsag";
    pub const YDELSESAFGOERELSESTYPE: &str = "ydelsesafgoerelsestype";
}

/// A code value: the overlay's (meanings compare without case), else the document's.
fn code(call: &Call<'_>, list: &str, meanings: &[&str], document: i64) -> i64 {
    let Some(list) = call.app.spec.overlay.code_lists.get(list) else {
        return document;
    };
    meanings
        .iter()
        .find_map(|m| {
            list.values
                .iter()
                .find(|v| v.meaning.eq_ignore_ascii_case(m))
                .map(|v| v.value)
        })
        .unwrap_or(document)
}

pub fn dagpengemodtager(call: &Call<'_>) -> i64 {
    code(
        call,
        lists::KONTAKTGRUPPE,
        &["Dagpengemodtager", "dagpengemodtager"],
        1,
    )
}

pub fn kth(call: &Call<'_>) -> i64 {
    code(call, lists::KONTAKTGRUPPE, &["KTH", "Kontanthjælp"], 2)
}

/// Contact groups 24 and 25 (5018): illness is handled outside this service for them.
pub fn illness_contact_groups() -> [i64; 2] {
    [24, 25]
}

pub fn illness(call: &Call<'_>) -> i64 {
    code(call, lists::FRAVAERSTYPE, &["Sygdom", "sygdom", "Syg"], 11)
}

pub fn rehab_interview(call: &Call<'_>) -> i64 {
    code(
        call,
        lists::SAMTALETYPE,
        &["Samtale i rehabiliteringsteam", "rehabiliteringsteam"],
        18,
    )
}

pub fn referral_interview(call: &Call<'_>) -> i64 {
    code(
        call,
        lists::SAMTALETYPE,
        &["Henvisningssamtale", "henvisningssamtale"],
        8,
    )
}

/// Participation statuses of an a-kasse interview (9126).
pub const AKASSE_PARTICIPATION: [i64; 4] = [1, 2, 3, 4];
/// Participation statuses of a rehab-team interview (9125).
pub const REHAB_PARTICIPATION: [i64; 2] = [5, 6];

/// Whether an interview of this type resets the contact-frequency clock.
pub fn resets(call: &Call<'_>, type_id: i64) -> bool {
    type_id != rehab_interview(call) && type_id != referral_interview(call)
}

/// The values every DFDG code list is taken to hold besides the overlay's: the overlay only
/// has the values the documents reveal, and DFDG's code lists are small positive integers.
/// A value outside this range and not in the overlay's list is invalid (cases use 9999).
pub const CODE_RANGE: std::ops::RangeInclusive<i64> = 1..=99;

/// Whether a value is valid for a code list: in the overlay's list, or in [`CODE_RANGE`].
pub fn valid(call: &Call<'_>, list: &str, value: i64) -> bool {
    call.in_list(list, value) == Some(true) || CODE_RANGE.contains(&value)
}

/// Whether the contact group is in force at `t` (from its EventTime to its end, by date).
pub fn in_force(g: &ContactGroup, t: DateTime<FixedOffset>) -> bool {
    in_force_from(g, t, g.event_time.min(g.start))
}

/// Whether the contact group is in force at `t`, from `from` to its end, by date.
fn in_force_from(g: &ContactGroup, t: DateTime<FixedOffset>, from: DateTime<FixedOffset>) -> bool {
    let day = t.date_naive();
    let from = from.with_timezone(t.offset()).date_naive();
    from <= day
        && g.end
            .is_none_or(|e| day <= e.with_timezone(t.offset()).date_naive())
}

/// The contact group the interview rules take at `t`: the one in force "i forhold til
/// EventTime på kontaktgruppen" (003_580c854b6cb0522c.txt:40).
pub fn interview_contact_group<'c>(
    _call: &Call<'_>,
    c: &'c Citizen,
    t: DateTime<FixedOffset>,
) -> Option<&'c ContactGroup> {
    contact_group_at(c, t)
}

/// The contact group in force at `t` (the latest starting one, if several).
pub fn contact_group_at(c: &Citizen, t: DateTime<FixedOffset>) -> Option<&ContactGroup> {
    c.contact_groups
        .iter()
        .filter(|g| in_force(g, t))
        .max_by_key(|g| g.start)
}

/// Whether the citizen has an absence of `type_id` (any type if `None`) open at `t`.
pub fn absence_at(c: &Citizen, type_id: Option<i64>, t: DateTime<FixedOffset>) -> bool {
    let day = t.date_naive();
    c.absences.iter().any(|a| {
        type_id.is_none_or(|ty| a.type_id == ty)
            && a.start.with_timezone(t.offset()).date_naive() <= day
            && a.end
                .is_none_or(|e| day <= e.with_timezone(t.offset()).date_naive())
    })
}

/// Whether the citizen is enrolled (tilmeldt) at `t`.
pub fn enrolled_at(c: &Citizen, t: DateTime<FixedOffset>) -> bool {
    c.enrollment
        .as_ref()
        .is_some_and(|e| e.date.with_timezone(t.offset()).date_naive() <= t.date_naive())
}

/// Age in whole years on `day`.
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut age = day.year() - birth.year();
    if (day.month(), day.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// The youngest and oldest age (inclusive) at which a contact group can start (6033).
pub const CONTACT_GROUP_AGES: (i32, i32) = (18, 66);

/// Whether the text holds an HTML tag (4733).
pub fn has_html_tag(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, c)| {
        *c == b'<'
            && b.get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'/' || *n == b'!')
            && b[i + 1..].contains(&b'>')
    })
}

/// What a person-category value demands, by its meaning in the overlay's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CategoryRule {
    /// "Ikke visiteret": not allowed (6029).
    pub forbidden: bool,
    /// A category for sick citizens: needs the citizen unenrolled (4655) and an active illness.
    pub for_illness: bool,
}

/// The rule of a person-category value: a meaning containing "ikke visiteret" is forbidden,
/// one containing "syg" (sygemeldt) is for sick citizens; every other category is for enrolled
/// citizens who are not ill.
pub fn category_rule(call: &Call<'_>, value: i64) -> CategoryRule {
    let meaning = call
        .app
        .spec
        .overlay
        .code_lists
        .get(lists::PERSONKATEGORI)
        .and_then(|l| l.values.iter().find(|v| v.value == value))
        .map(|v| v.meaning.to_lowercase())
        .unwrap_or_default();
    CategoryRule {
        forbidden: meaning.contains("ikke visiteret"),
        for_illness: meaning.contains("syg"),
    }
}

/// Whether the reference knows a jobcentre code (4695), from the caller and the citizen.
pub fn jobcentre_known(call: &Call<'_>, c: &Citizen, code: &str) -> bool {
    call.req.caller.code == code
        || c.jobcenter.as_deref() == Some(code)
        || c.former_jobcenters.iter().any(|j| j == code)
        || c.moves
            .iter()
            .any(|m| m.from.as_deref() == Some(code) || m.to.as_deref() == Some(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_tags() {
        assert!(has_html_tag("a <b>bold</b> move"));
        assert!(has_html_tag("<br/>"));
        assert!(!has_html_tag("1 < 2 and 3 > 2"));
        assert!(!has_html_tag("a <"));
    }

    #[test]
    fn ages() {
        let b = NaiveDate::from_ymd_opt(2000, 6, 15).unwrap();
        assert_eq!(age_on(b, NaiveDate::from_ymd_opt(2018, 6, 14).unwrap()), 17);
        assert_eq!(age_on(b, NaiveDate::from_ymd_opt(2018, 6, 15).unwrap()), 18);
    }
}
