//! How often a signed-in account may repeat a write that leaves something
//! behind (a mail, an invoice, a document). Counted from the rows the
//! writes leave in the database, so every instance sees the same count.

use std::time::Duration;

use acctl_api::{ErrorCode, SecurityEventKind};
use axum::http::{HeaderValue, header};

use crate::clock::duration_ms;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store::retention::Counted;

const HOUR: Duration = Duration::from_secs(60 * 60);
const DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// At most `most` of `what` per `per`.
#[derive(Debug, Clone, Copy)]
pub struct Quota {
    pub what: &'static str,
    pub most: usize,
    pub per: Duration,
    pub per_words: &'static str,
    pub counted: Counted<'static>,
}

/// Security events of these kinds.
macro_rules! kinds {
    ($($kind:ident),*) => {
        &[$(SecurityEventKind::$kind),*]
    };
}

pub const EXPORTS: Quota = Quota {
    what: "data exports",
    most: 3,
    per: DAY,
    per_words: "a day",
    counted: Counted::Exports,
};

pub const EMAIL_CHANGES: Quota = Quota {
    what: "email change requests",
    most: 5,
    per: HOUR,
    per_words: "an hour",
    counted: Counted::Events(kinds!(EmailChangeRequested)),
};

pub const PASSWORD_CHANGES: Quota = Quota {
    what: "password changes",
    most: 10,
    per: DAY,
    per_words: "a day",
    counted: Counted::Events(kinds!(PasswordChanged)),
};

pub const AVATARS: Quota = Quota {
    what: "picture changes",
    most: 20,
    per: HOUR,
    per_words: "an hour",
    counted: Counted::Events(kinds!(AvatarChanged)),
};

pub const TWO_FACTOR_CHANGES: Quota = Quota {
    what: "two-factor changes",
    most: 10,
    per: DAY,
    per_words: "a day",
    counted: Counted::Events(kinds!(MfaEnabled, MfaDisabled, RecoveryCodesRegenerated)),
};

pub const SUBSCRIPTION_CHANGES: Quota = Quota {
    what: "subscription changes",
    most: 10,
    per: DAY,
    per_words: "a day",
    counted: Counted::Events(kinds!(
        PlanChanged,
        SubscriptionCanceled,
        SubscriptionResumed
    )),
};

pub const DELETION_CHANGES: Quota = Quota {
    what: "deletion requests and cancellations",
    most: 10,
    per: DAY,
    per_words: "a day",
    counted: Counted::Events(kinds!(DeletionScheduled, DeletionCanceled)),
};

pub const CHECKOUTS: Quota = Quota {
    what: "card change links",
    most: 10,
    per: HOUR,
    per_words: "an hour",
    counted: Counted::Checkouts,
};

/// Ok while `user_id` is under `quota`; else 429 with `Retry-After`.
pub async fn check(state: &AppState, user_id: &str, quota: &Quota) -> ApiResult<()> {
    let now = state.now_ms();
    let per = duration_ms(quota.per);
    let times = state
        .store
        .times_since(user_id, quota.counted, now - per + 1)
        .await?;
    let Some(oldest) = times
        .len()
        .checked_sub(quota.most)
        .and_then(|i| times.get(i))
    else {
        return Ok(());
    };
    let wait_secs = u64::try_from(oldest + per - now)
        .unwrap_or(0)
        .div_ceil(1000)
        .max(1);
    Err(over(quota, wait_secs))
}

fn over(quota: &Quota, wait_secs: u64) -> ApiError {
    ApiError::new(
        ErrorCode::RateLimited,
        format!(
            "At most {} {} {} are allowed. Try again in {wait_secs} seconds.",
            quota.most, quota.what, quota.per_words
        ),
    )
    .with_header(header::RETRY_AFTER, HeaderValue::from(wait_secs))
}
