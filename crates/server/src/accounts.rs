//! Teacher and administrator accounts: argon2id passwords (OWASP parameters), signed-in
//! sessions behind an `HttpOnly; SameSite=Strict` cookie with a CSRF token each, and back-off on
//! failed sign-ins.
//!
//! [`Accounts`] writes through [`Store`]; `lib.rs` turns a request's cookie into a [`SignedIn`]
//! (checking the CSRF header on state-changing requests) and decides what each role may do; the
//! CLI's `lesenka serve --create-admin` makes the first administrator.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::live::{new_secret, secret_hash};
use crate::storage::{AccountRow, StorageError, Store};

/// How long a sign-in lasts.
pub const SESSION_LENGTH: Duration = Duration::from_secs(12 * 3600);
/// Failed sign-ins (per login, and per address) before the back-off starts.
const FREE_FAILURES: u32 = 5;
/// The longest back-off.
const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);

/// What an account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Opens and closes live sessions of their lessons.
    Teacher,
    /// A teacher who also makes accounts.
    Admin,
}

impl Role {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Teacher => "teacher",
            Role::Admin => "admin",
        }
    }

    fn parse(word: &str) -> Option<Role> {
        match word {
            "teacher" => Some(Role::Teacher),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// An account (never its password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Account {
    /// The account's id.
    pub id: String,
    /// The sign-in name.
    pub login: String,
    /// What it may do.
    pub role: Role,
}

/// A signed-in request's account and the CSRF token its state-changing requests must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    /// Who.
    pub account: Account,
    /// The value `X-CSRF-Token` must have.
    pub csrf: String,
}

/// Why an account operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Wrong login or password (which one is not said).
    #[error("wrong login or password")]
    BadCredentials,
    /// Too many failed sign-ins: wait.
    #[error("too many failed sign-ins; try again in {} s", retry_after.as_secs().max(1))]
    TooManyTries {
        /// How long to wait.
        retry_after: Duration,
    },
    /// A login must be 1 to 64 characters without spaces.
    #[error("a login is 1 to 64 characters, without spaces")]
    BadLogin,
    /// A password must be 10 to 256 characters.
    #[error("a password is 10 to 256 characters")]
    WeakPassword,
    /// The login is taken.
    #[error("this login is taken")]
    LoginTaken,
    /// Hashing failed.
    #[error("password hashing: {0}")]
    Hash(String),
    /// A stored role this server does not know.
    #[error("stored account has an unknown role {0}")]
    UnknownRole(String),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Argon2id with OWASP's first recommended parameters: 19 MiB, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("OWASP's argon2id parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_password(password: &str) -> Result<String, AuthError> {
    let salt_bytes: [u8; 16] = rand::rng().random();
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| AuthError::Hash(e.to_string()))?;
    let hash = argon2()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| AuthError::Hash(e.to_string()))?;
    Ok(hash.to_string())
}

fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => argon2().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the login does not exist, so both cases take as long.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not a password anyone has").unwrap_or_default())
}

fn fold_login(login: &str) -> Result<String, AuthError> {
    let login = login.trim();
    let n = login.chars().count();
    if n == 0 || n > 64 || login.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(AuthError::BadLogin);
    }
    Ok(login.to_lowercase())
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    until: Option<Instant>,
}

/// The accounts and the failed sign-ins counted in memory.
#[derive(Debug)]
pub struct Accounts {
    store: Store,
    failures: Mutex<HashMap<String, Failures>>,
}

fn account_of(row: AccountRow) -> Result<Account, AuthError> {
    let role = Role::parse(&row.role).ok_or_else(|| AuthError::UnknownRole(row.role.clone()))?;
    Ok(Account { id: row.id, login: row.login, role })
}

impl Accounts {
    /// Accounts over a migrated store.
    pub fn new(store: Store) -> Self {
        Accounts { store, failures: Mutex::new(HashMap::new()) }
    }

    /// Whether no account exists yet (the first start).
    pub async fn none_yet(&self) -> Result<bool, AuthError> {
        Ok(self.store.count_accounts().await? == 0)
    }

    /// Makes an account.
    pub async fn create(
        &self,
        login: &str,
        password: &str,
        role: Role,
    ) -> Result<Account, AuthError> {
        let login = fold_login(login)?;
        let n = password.chars().count();
        if !(10..=256).contains(&n) {
            return Err(AuthError::WeakPassword);
        }
        let password = password.to_owned();
        let hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| AuthError::Hash(e.to_string()))??;
        let id = uuid::Builder::from_random_bytes(rand::rng().random()).into_uuid().to_string();
        let row = AccountRow { id, login, password_hash: hash, role: role.as_str().to_owned() };
        if !self.store.insert_account(&row, &crate::live::stamp_now()).await? {
            return Err(AuthError::LoginTaken);
        }
        tracing::info!(login = %row.login, role = role.as_str(), "account created");
        account_of(row)
    }

    fn failures(&self) -> std::sync::MutexGuard<'_, HashMap<String, Failures>> {
        // Counters only: a poisoned lock still holds usable counts.
        self.failures.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn check_backoff(&self, keys: &[String]) -> Result<(), AuthError> {
        let now = Instant::now();
        let failures = self.failures();
        for key in keys {
            if let Some(Failures { until: Some(until), .. }) = failures.get(key)
                && *until > now
            {
                return Err(AuthError::TooManyTries { retry_after: *until - now });
            }
        }
        Ok(())
    }

    fn fail(&self, keys: &[String]) {
        let now = Instant::now();
        let mut failures = self.failures();
        if failures.len() > 100_000 {
            // Forget whoever is not held back now, so sprayed logins cannot grow the map.
            failures.retain(|_, f| f.until.is_some_and(|u| u > now));
        }
        for key in keys {
            let f = failures.entry(key.clone()).or_insert(Failures { count: 0, until: None });
            f.count += 1;
            if f.count >= FREE_FAILURES {
                let exponent = (f.count - FREE_FAILURES).min(10);
                let wait = Duration::from_secs(1 << exponent).min(MAX_BACKOFF);
                f.until = Some(now + wait);
            }
        }
    }

    /// Signs in: the cookie's token and the session, or a refusal (with back-off after
    /// repeated failures for the login or the address).
    pub async fn sign_in(
        &self,
        ip: IpAddr,
        login: &str,
        password: &str,
    ) -> Result<(String, SignedIn), AuthError> {
        let folded = fold_login(login).map_err(|_| AuthError::BadCredentials)?;
        let keys = [format!("login:{folded}"), format!("ip:{ip}")];
        self.check_backoff(&keys)?;
        let row = self.store.account_by_login(&folded).await?;
        let hash =
            row.as_ref().map_or_else(|| dummy_hash().to_owned(), |r| r.password_hash.clone());
        let password = password.to_owned();
        let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
            .await
            .map_err(|e| AuthError::Hash(e.to_string()))?;
        let (true, Some(row)) = (matches, row) else {
            self.fail(&keys);
            return Err(AuthError::BadCredentials);
        };
        self.failures().remove(&keys[0]);
        let account = account_of(row)?;
        let token = new_secret();
        let csrf = new_secret();
        let now = crate::live::now();
        let expires = now + chrono::Duration::from_std(SESSION_LENGTH).unwrap_or_default();
        self.store
            .insert_account_session(
                &secret_hash(&token),
                &account.id,
                &csrf,
                &crate::live::stamp(now),
                &crate::live::stamp(expires),
            )
            .await?;
        Ok((token, SignedIn { account, csrf }))
    }

    /// The signed-in session a cookie's token belongs to, if it has not expired.
    pub async fn session(&self, token: &str) -> Result<Option<SignedIn>, AuthError> {
        let found =
            self.store.account_session(&secret_hash(token), &crate::live::stamp_now()).await?;
        match found {
            Some((row, csrf)) => Ok(Some(SignedIn { account: account_of(row)?, csrf })),
            None => Ok(None),
        }
    }

    /// Signs out.
    pub async fn sign_out(&self, token: &str) -> Result<(), AuthError> {
        Ok(self.store.delete_account_session(&secret_hash(token)).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("correct horse battery").expect("a hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("wrong horse battery", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn logins_are_folded_and_checked() {
        assert_eq!(fold_login(" Ivanova ").expect("a login"), "ivanova");
        assert!(matches!(fold_login(""), Err(AuthError::BadLogin)));
        assert!(matches!(fold_login("two words"), Err(AuthError::BadLogin)));
    }
}
