//! The in-memory state of the reference: citizens keyed by CPR, an index from every identifier
//! the reference created (interviews, participants, contact groups, absences, ...) to the
//! citizen that owns it, person-group projects, seen `x-requestId`s and issued tokens.
//!
//! The store is sharded: every map is split over [`SHARDS`] locks chosen by hash, and each
//! citizen sits behind its own mutex, so requests about different citizens never wait for one
//! another. No lock is held across an `.await`; rule evaluation locks exactly one citizen.
//! The main types here are [`Store`] and [`Citizen`].

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::Value;
use uuid::Uuid;

use crate::spec::model::OrganisationType;
use crate::state::CitizenStatus;

/// How many locks each map is split over.
pub const SHARDS: usize = 64;

/// A map split over [`SHARDS`] read-write locks.
#[derive(Debug)]
pub struct Sharded<K, V> {
    shards: Vec<RwLock<HashMap<K, V>>>,
}

impl<K: Hash + Eq, V: Clone> Default for Sharded<K, V> {
    fn default() -> Self {
        Sharded {
            shards: (0..SHARDS).map(|_| RwLock::new(HashMap::new())).collect(),
        }
    }
}

impl<K: Hash + Eq, V: Clone> Sharded<K, V> {
    fn shard<Q: Hash + ?Sized>(&self, key: &Q) -> &RwLock<HashMap<K, V>> {
        let mut h = DefaultHasher::new();
        key.hash(&mut h);
        &self.shards[(h.finish() as usize) % SHARDS]
    }

    pub fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let shard = self.shard(key).read().unwrap_or_else(|e| e.into_inner());
        shard.get(key).cloned()
    }

    pub fn insert(&self, key: K, value: V) {
        let mut shard = self.shard(&key).write().unwrap_or_else(|e| e.into_inner());
        shard.insert(key, value);
    }

    /// Inserts unless the key is there; answers whether it inserted.
    pub fn insert_new(&self, key: K, value: V) -> bool {
        let mut shard = self.shard(&key).write().unwrap_or_else(|e| e.into_inner());
        if shard.contains_key(&key) {
            return false;
        }
        shard.insert(key, value);
        true
    }

    pub fn remove<Q>(&self, key: &Q) -> Option<V>
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let mut shard = self.shard(key).write().unwrap_or_else(|e| e.into_inner());
        shard.remove(key)
    }

    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.read().unwrap_or_else(|e| e.into_inner()).len())
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What kind of item an identifier names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    ContactGroup,
    Enrollment,
    Absence,
    PersonCategory,
    Booking,
    Interview,
    Participant,
    HealthLimitation,
    Marking,
    Ydelse,
    Move,
}

/// A person-group project (persongruppeprojekt).
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub id: Uuid,
    pub start: DateTime<FixedOffset>,
    pub end: Option<DateTime<FixedOffset>>,
}

/// A period with an optional end.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactGroup {
    pub id: Uuid,
    pub type_id: i64,
    pub start: DateTime<FixedOffset>,
    pub end: Option<DateTime<FixedOffset>>,
    pub event_time: DateTime<FixedOffset>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enrollment {
    pub id: Uuid,
    pub date: DateTime<FixedOffset>,
    pub category: Option<i64>,
    pub unemployment_status: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Absence {
    pub id: Uuid,
    pub type_id: i64,
    pub start: DateTime<FixedOffset>,
    pub end: Option<DateTime<FixedOffset>>,
    pub unemployment_status: Option<i64>,
    pub cvr: Option<String>,
    pub pnummer: Option<String>,
    pub warning_letter_date: Option<DateTime<FixedOffset>>,
    pub cause: Option<i64>,
    pub comment: Option<String>,
    pub notification: Option<DateTime<FixedOffset>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PersonCategory {
    pub id: Uuid,
    pub type_id: i64,
    pub incident: DateTime<FixedOffset>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Booking {
    pub id: Uuid,
    pub time: Option<DateTime<FixedOffset>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Participant {
    pub id: Uuid,
    pub name: String,
    pub external_id: Option<String>,
    pub contact_type: Option<i64>,
    pub type_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Interview {
    pub id: Uuid,
    pub type_id: i64,
    pub time: DateTime<FixedOffset>,
    pub resetting: bool,
    pub with_more_authorities: bool,
    /// Organisation code of the registering organisation.
    pub registered_by: Option<String>,
    pub participants: Vec<Participant>,
    pub booking: Option<Uuid>,
    pub contact_type: Option<i64>,
    pub participation_status: Option<i64>,
    /// The interview as last registered (request element's `PersonInterview`/`Interview`).
    pub record: Value,
    pub registered_at: Option<DateTime<FixedOffset>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HealthLimitation {
    pub id: Uuid,
    pub start: DateTime<FixedOffset>,
    pub end: Option<DateTime<FixedOffset>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Marking {
    pub id: Uuid,
    pub project: Uuid,
    pub start: DateTime<FixedOffset>,
    pub end: Option<DateTime<FixedOffset>>,
    pub created_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ydelse {
    pub id: Uuid,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub kontaktgruppe: Option<i64>,
    pub ky_noegle: Option<String>,
    pub lovhenvisning: Option<String>,
    pub afgoerelsestype: Option<i64>,
    /// Organisation type and code of the registering authority.
    pub registered_by: Option<(OrganisationType, String)>,
    pub registered_at: Option<DateTime<FixedOffset>>,
    /// Earlier versions, oldest first (GetYdelseHistorik).
    pub history: Vec<Ydelse>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub id: Uuid,
    pub from: Option<String>,
    pub to: Option<String>,
    pub confirmed_out: bool,
    pub confirmed_in: bool,
}

/// One citizen and everything the rules read about them.
#[derive(Debug, Clone, PartialEq)]
pub struct Citizen {
    pub cpr: String,
    pub status: CitizenStatus,
    pub birth_date: Option<NaiveDate>,
    /// The instant every request about this citizen takes as "now" (state-change `now`).
    pub pinned_now: Option<DateTime<FixedOffset>>,
    pub jobcenter: Option<String>,
    pub former_jobcenters: Vec<String>,
    pub kommune: Option<String>,
    pub akasse: Option<String>,
    pub anden_aktoer: Option<String>,
    pub has_cv_number: bool,
    pub contact_groups: Vec<ContactGroup>,
    pub enrollment: Option<Enrollment>,
    pub absences: Vec<Absence>,
    pub person_categories: Vec<PersonCategory>,
    pub bookings: Vec<Booking>,
    pub interviews: Vec<Interview>,
    pub health_limitations: Vec<HealthLimitation>,
    pub markings: Vec<Marking>,
    pub ydelser: Vec<Ydelse>,
    pub moves: Vec<Move>,
    pub failing_systems: BTreeSet<String>,
    /// RegisterUnemploymentFundParticipation(Choice): the last registered choice.
    pub fund_participation: Option<bool>,
}

impl Citizen {
    pub fn new(cpr: String) -> Citizen {
        Citizen {
            cpr,
            status: CitizenStatus::Alive,
            birth_date: None,
            pinned_now: None,
            jobcenter: None,
            former_jobcenters: Vec::new(),
            kommune: None,
            akasse: None,
            anden_aktoer: None,
            has_cv_number: true,
            contact_groups: Vec::new(),
            enrollment: None,
            absences: Vec::new(),
            person_categories: Vec::new(),
            bookings: Vec::new(),
            interviews: Vec::new(),
            health_limitations: Vec::new(),
            markings: Vec::new(),
            ydelser: Vec::new(),
            moves: Vec::new(),
            failing_systems: BTreeSet::new(),
            fund_participation: None,
        }
    }

    pub fn system_fails(&self, name: &str) -> bool {
        self.failing_systems
            .iter()
            .any(|s| s.eq_ignore_ascii_case(name))
    }
}

/// A citizen behind its own lock.
pub type CitizenCell = Arc<Mutex<Citizen>>;

/// Locks a citizen; a poisoned lock (a panic elsewhere) still yields the data.
pub fn lock(cell: &CitizenCell) -> MutexGuard<'_, Citizen> {
    cell.lock().unwrap_or_else(|e| e.into_inner())
}

/// The caller an issued bearer token stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub organisation: OrganisationType,
    pub code: String,
    pub scopes: BTreeSet<String>,
    pub issued: DateTime<FixedOffset>,
}

/// Everything the reference remembers.
#[derive(Debug, Default)]
pub struct Store {
    citizens: Sharded<String, CitizenCell>,
    /// Identifier → (owning citizen's CPR, kind).
    ids: Sharded<Uuid, (String, ItemKind)>,
    projects: Sharded<Uuid, Project>,
    /// `x-requestId`s seen, per method path.
    request_ids: Sharded<(String, String), ()>,
    tokens: Sharded<String, Token>,
    /// Serial numbers handed out per birth date (`DDMMYY`), for fresh CPRs.
    serials: Mutex<HashMap<String, u32>>,
    /// Counts state-change requests, to spread default birth dates.
    pub sequence: std::sync::atomic::AtomicU64,
    /// A mutant's fault: deleted identifiers stay known (see `reference::mutant`).
    keep_deleted: bool,
}

impl Store {
    /// An empty store; with `keep_deleted`, deleted identifiers stay known (a mutant).
    pub fn keeping_deleted(keep_deleted: bool) -> Store {
        Store {
            keep_deleted,
            ..Store::default()
        }
    }

    pub fn citizen(&self, cpr: &str) -> Option<CitizenCell> {
        self.citizens.get(cpr)
    }

    /// Inserts a citizen; false if the CPR is taken.
    pub fn insert_citizen(&self, citizen: Citizen) -> bool {
        let cpr = citizen.cpr.clone();
        self.citizens.insert_new(cpr, Arc::new(Mutex::new(citizen)))
    }

    pub fn citizen_count(&self) -> usize {
        self.citizens.len()
    }

    /// Records that `id` belongs to the citizen `cpr`.
    pub fn index(&self, id: Uuid, cpr: &str, kind: ItemKind) {
        self.ids.insert(id, (cpr.to_string(), kind));
    }

    pub fn unindex(&self, id: &Uuid) {
        if self.keep_deleted {
            return;
        }
        self.ids.remove(id);
    }

    /// The citizen (CPR) and kind an identifier belongs to.
    pub fn owner(&self, id: &Uuid) -> Option<(String, ItemKind)> {
        self.ids.get(id)
    }

    pub fn project(&self, id: &Uuid) -> Option<Project> {
        self.projects.get(id)
    }

    pub fn insert_project(&self, project: Project) {
        self.projects.insert(project.id, project);
    }

    /// Records a request id for a method path; false if it was seen before.
    pub fn first_request(&self, path: &str, request_id: &str) -> bool {
        self.request_ids
            .insert_new((path.to_string(), request_id.to_string()), ())
    }

    pub fn insert_token(&self, token: String, caller: Token) {
        self.tokens.insert(token, caller);
    }

    pub fn token(&self, token: &str) -> Option<Token> {
        self.tokens.get(token)
    }

    /// The next free serial for a birth date (1000..=9999 first, then 0..=999), or `None` when
    /// all 10 000 are taken.
    pub fn next_serial(&self, date: NaiveDate) -> Option<u32> {
        let key = date.format("%d%m%y").to_string();
        let mut serials = self.serials.lock().unwrap_or_else(|e| e.into_inner());
        let n = serials.entry(key).or_insert(0);
        if *n >= 10_000 {
            return None;
        }
        let serial = (*n + 1000) % 10_000;
        *n += 1;
        Some(serial)
    }

    /// Records a caller-chosen identifier unless it is in use; false if it is.
    pub fn index_new(&self, id: Uuid, cpr: &str, kind: ItemKind) -> bool {
        self.ids.insert_new(id, (cpr.to_string(), kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn citizens_and_identifiers_round_trip() {
        let store = Store::default();
        assert!(store.insert_citizen(Citizen::new("0101901234".into())));
        assert!(!store.insert_citizen(Citizen::new("0101901234".into())));
        let id = Uuid::new_v4();
        store.index(id, "0101901234", ItemKind::Interview);
        assert_eq!(
            store.owner(&id),
            Some(("0101901234".to_string(), ItemKind::Interview))
        );
        assert!(store.citizen("0101901234").is_some());
        assert!(store.citizen("0202901234").is_none());
        assert_eq!(store.citizen_count(), 1);
    }

    #[test]
    fn request_ids_are_remembered_per_path() {
        let store = Store::default();
        assert!(store.first_request("POST /v1/ydelse", "a"));
        assert!(!store.first_request("POST /v1/ydelse", "a"));
        assert!(store.first_request("GET /v1/ydelse", "a"));
    }

    #[test]
    fn serials_are_unique_per_date_and_run_out() {
        let store = Store::default();
        let d = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
        let mut seen = HashSet::new();
        for _ in 0..10_000 {
            assert!(seen.insert(store.next_serial(d).unwrap()));
        }
        assert_eq!(store.next_serial(d), None);
        // A century later the CPR's date part is the same, so the serials are shared.
        let d2 = NaiveDate::from_ymd_opt(2090, 1, 1).unwrap();
        assert_eq!(store.next_serial(d2), None);
    }
}
