//! One state per LinkedIn account: the member a settings page names decides whose report, history, states and
//! "Not now" answers the usual keys hold.
//!
//! The usual keys always hold the *current* account's data, so nothing else in the worker knows accounts exist.
//! When a page names another member, the current data moves into its account's stash and the other account's
//! stash (or nothing, for a member seen for the first time) takes its place, in one storage write. The member's
//! LinkedIn id is never stored: only a salted SHA-256 of it, and the display name the member sees. Data from before
//! accounts belongs to the first account seen.

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::cx::Cx;
use super::stored::{self, Accounts, Member};
use super::{Area, Effect};
use crate::contract::ToPage;
use crate::report::Report;
use crate::snapshot::AccountSeen;

/// The keys that belong to an account.
const ACCOUNT_KEYS: [&str; 4] = ["report", "history", "states", "declined"];
/// A member seen again is written down again after this long (not at every page).
const SEEN_AGAIN_MS: i64 = 24 * 60 * 60 * 1000;

/// The salted hash that stands for a member's id: 32 hex digits of SHA-256(salt, id).
pub(crate) fn account_hash(salt: &str, id: &str) -> String {
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update([0]);
    h.update(id.as_bytes());
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Cx<'_> {
    /// A settings page named the signed-in member.
    pub(crate) fn account_seen(&mut self, seen: &AccountSeen) {
        if seen.id.is_empty() || self.stored.unreadable.is_some() {
            return;
        }
        let Some(mut accounts) = self.stored.accounts.clone() else {
            return self.first_account(seen);
        };
        let hash = account_hash(&accounts.salt, &seen.id);
        let now = self.now.iso.clone();
        if hash == accounts.current {
            let member = accounts
                .members
                .get_mut(&hash)
                .expect("the current account is known");
            let stale = super::requests::parse_ms(&member.seen_at)
                .is_none_or(|at| self.now.ms - at > SEEN_AGAIN_MS);
            if member.name != seen.name || stale {
                member.name = seen.name.clone();
                member.seen_at = now;
                self.store_accounts(accounts, Map::new(), vec![]);
            }
            return;
        }
        // A run belongs to the account that started it: another member's page does not switch under it.
        if self.stored.journal.is_some() {
            self.log("LinkedOut: another LinkedIn account showed during a run; its data is switched after the run");
            return;
        }
        let outgoing = json!({
            "report": self.stored.report,
            "history": self.stored.history,
            "states": stored::write_states(&self.stored.states),
            "declined": stored::write_declined(&self.stored.declined),
        });
        if let Some(old) = accounts.members.get_mut(&accounts.current) {
            old.stash = Some(outgoing);
        }
        let incoming = accounts
            .members
            .get_mut(&hash)
            .and_then(|m| m.stash.take())
            .unwrap_or(Value::Null);
        accounts.members.insert(
            hash.clone(),
            Member {
                name: seen.name.clone(),
                seen_at: now,
                stash: None,
            },
        );
        accounts.current = hash;
        // The incoming values are written as they were stashed; the next input reads them through the usual
        // checks (and repairs), like anything else in storage.
        let mut set = Map::new();
        let mut remove = Vec::new();
        for key in ACCOUNT_KEYS {
            match incoming.get(key).filter(|v| !v.is_null()) {
                Some(v) => {
                    set.insert(key.to_string(), v.clone());
                }
                None => remove.push(key.to_string()),
            }
        }
        self.stored.report = incoming
            .get("report")
            .and_then(|v| serde_json::from_value::<Report>(v.clone()).ok());
        self.stored.history = incoming
            .get("history")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default();
        self.stored.states = incoming
            .get("states")
            .and_then(|v| v.get("settings"))
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default();
        self.stored.declined = incoming
            .get("declined")
            .and_then(|v| v.get("settings"))
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default();
        self.store_accounts(accounts, set, remove);
        self.badge();
        self.broadcast(ToPage::RunUpdate {});
    }

    /// The first member a page names: today's data (if any) is theirs.
    fn first_account(&mut self, seen: &AccountSeen) {
        let salt = if self.env.entropy.len() >= 16 {
            self.env.entropy.clone()
        } else {
            // A shell that gives no entropy still gets a salt no other browser shares by chance of timing.
            account_hash(&self.now.iso, &self.env.extension_origin)
        };
        let hash = account_hash(&salt, &seen.id);
        let accounts = Accounts {
            version: stored::STORED_VERSION,
            salt,
            current: hash.clone(),
            members: [(
                hash,
                Member {
                    name: seen.name.clone(),
                    seen_at: self.now.iso.clone(),
                    stash: None,
                },
            )]
            .into(),
        };
        self.store_accounts(accounts, Map::new(), vec![]);
        self.broadcast(ToPage::RunUpdate {});
    }

    /// Stores the accounts with the usual keys they bring along, in one write.
    fn store_accounts(
        &mut self,
        accounts: Accounts,
        mut set: Map<String, Value>,
        remove: Vec<String>,
    ) {
        set.insert("accounts".into(), stored::write_accounts(&accounts));
        self.stored.accounts = Some(accounts);
        self.push(Effect::Store {
            area: Area::Local,
            set,
            remove,
        });
    }

    /// The hash of the account the usual keys belong to, if a page has named one.
    pub(crate) fn current_account(&self) -> Option<String> {
        self.stored.accounts.as_ref().map(|a| a.current.clone())
    }
}
