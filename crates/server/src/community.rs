//! ПОС mailboxes: how members' evidence reaches their community's leader through the school
//! server, as the exported files the leader could also import one by one.
//!
//! A leader opens a mailbox for a community (its id is the plan's, so the leader's app finds
//! it again); any signed-in teacher sees the mailboxes and sends their own exported file to one
//! (a later file replaces the earlier, since an export always holds everything); only the
//! mailbox's leader, or an administrator, lists and reads the files. The server checks that a
//! file opens as the app's backup (core's `persist::open`) and stores it as it came; the
//! leader's app merges it (core's idempotent `merge_backup`), so fetching twice changes nothing.
//! The handlers in `lib.rs` call this module over [`Store`].

use lesenka_core::persist::{self, Kind, LoadError, backup::Backup};
use uuid::Uuid;

use crate::accounts::{Account, Role};
use crate::live::stamp_now;
use crate::storage::{CommunityRow, StorageError, Store};
use crate::wire::{Bundle, BundleInfo, CommunityInfo};

/// Why a mailbox operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum CommunityError {
    /// No mailbox has this id.
    #[error("no such community on this server")]
    Unknown,
    /// The mailbox belongs to another leader.
    #[error("this community's mailbox was opened by another account")]
    NotYours,
    /// The name is empty or too long.
    #[error("a community needs a name of 1 to 200 characters")]
    BadName,
    /// The member has sent no file to this mailbox.
    #[error("this member has sent nothing to this community")]
    NoBundle,
    /// The file is not an export of the app.
    #[error("the file is not a Lesenka export: {0}")]
    NotABundle(String),
    /// The file comes from a newer version of the app than this server's.
    #[error("the file comes from a newer version of Lesenka than this server")]
    NewerVersion,
    /// Stored data that does not read back.
    #[error("stored community data does not read back: {0}")]
    Corrupt(String),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl CommunityError {
    /// The stable code of the error body.
    pub fn code(&self) -> &'static str {
        match self {
            CommunityError::Unknown => "unknown_community",
            CommunityError::NotYours => "not_yours",
            CommunityError::BadName => "invalid",
            CommunityError::NoBundle => "no_bundle",
            CommunityError::NotABundle(_) => "not_a_bundle",
            CommunityError::NewerVersion => "newer_version",
            CommunityError::Corrupt(_) | CommunityError::Storage(_) => "internal",
        }
    }
}

fn info(row: CommunityRow) -> Result<CommunityInfo, CommunityError> {
    let id = row.id.parse::<Uuid>().map_err(|e| CommunityError::Corrupt(e.to_string()))?;
    Ok(CommunityInfo { id, name: row.name, leader: row.owner_login })
}

/// The mailboxes over a migrated store.
#[derive(Debug, Clone)]
pub struct Mailboxes {
    store: Store,
}

impl Mailboxes {
    /// The mailboxes of `store`.
    pub fn new(store: Store) -> Self {
        Mailboxes { store }
    }

    /// Opens the mailbox of community `id` for `by` (or renames it, when `by` opened it).
    pub async fn open(
        &self,
        id: Uuid,
        name: &str,
        by: &Account,
    ) -> Result<CommunityInfo, CommunityError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(CommunityError::BadName);
        }
        let row = self.store.put_community(&id.to_string(), name, &by.id, &stamp_now()).await?;
        let row = row.ok_or(CommunityError::NotYours)?;
        tracing::info!(community = %id, "community mailbox opened");
        info(row)
    }

    /// Every mailbox on the server, by name.
    pub async fn list(&self) -> Result<Vec<CommunityInfo>, CommunityError> {
        self.store.communities().await?.into_iter().map(info).collect()
    }

    async fn find(&self, id: Uuid) -> Result<CommunityRow, CommunityError> {
        self.store.community(&id.to_string()).await?.ok_or(CommunityError::Unknown)
    }

    /// The mailbox, which `by` may read: its leader, or an administrator.
    async fn readable(&self, id: Uuid, by: &Account) -> Result<CommunityRow, CommunityError> {
        let row = self.find(id).await?;
        if by.role != Role::Admin && row.owner != by.id {
            return Err(CommunityError::NotYours);
        }
        Ok(row)
    }

    /// Stores `by`'s exported file in the mailbox, once it opens as the app's backup.
    pub async fn send(
        &self,
        id: Uuid,
        file: &str,
        by: &Account,
    ) -> Result<BundleInfo, CommunityError> {
        self.find(id).await?;
        match persist::open::<Backup>(Kind::Backup, file) {
            Ok(_) => {}
            Err(LoadError::NewerVersion { .. }) => return Err(CommunityError::NewerVersion),
            Err(e) => return Err(CommunityError::NotABundle(e.to_string())),
        }
        let sent_at = stamp_now();
        self.store.put_bundle(&id.to_string(), &by.id, file, &sent_at).await?;
        tracing::info!(community = %id, member = %by.login, bytes = file.len(), "bundle received");
        Ok(BundleInfo { member: by.login.clone(), sent_at, bytes: file.len() as u64 })
    }

    /// The files in the mailbox, without their text (its leader or an administrator).
    pub async fn bundles(&self, id: Uuid, by: &Account) -> Result<Vec<BundleInfo>, CommunityError> {
        self.readable(id, by).await?;
        let rows = self.store.bundles(&id.to_string()).await?;
        Ok(rows
            .into_iter()
            .map(|r| BundleInfo {
                member: r.member,
                sent_at: r.sent_at,
                bytes: u64::try_from(r.bytes).unwrap_or(0),
            })
            .collect())
    }

    /// One member's file, with its text (the mailbox's leader or an administrator).
    pub async fn bundle(
        &self,
        id: Uuid,
        member: &str,
        by: &Account,
    ) -> Result<Bundle, CommunityError> {
        self.readable(id, by).await?;
        let (sent_at, file) =
            self.store.bundle(&id.to_string(), member).await?.ok_or(CommunityError::NoBundle)?;
        Ok(Bundle { member: member.to_owned(), sent_at, file })
    }
}
