//! The pages that turn two-factor sign-in on or off and make new recovery
//! codes.

use super::*;

#[derive(Debug, Clone)]
pub struct TwoFactorPage {
    /// Turning it on: the password first.
    pub enable: Form,
    /// Turning it off: password and a current code.
    pub disable: Form,
    /// Scanning the QR code and typing the first code.
    pub enrolment: Option<Enrolment>,
    pub note: Option<String>,
}

impl Default for TwoFactorPage {
    fn default() -> Self {
        Self {
            enable: Form::new(vec![("password", password_field("Password"))]),
            disable: Form::new(vec![
                ("password", password_field("Password")),
                ("code", FormField::new("Code")),
            ]),
            enrolment: None,
            note: None,
        }
    }
}

impl TwoFactorPage {
    pub fn submit_enable(&mut self) -> Option<Action> {
        self.note = None;
        self.enable.clear_errors();
        missing(
            &mut self.enable,
            "password",
            "Enter your password to start.",
        );
        if self.enable.focus_first_error() {
            return None;
        }
        request(SecurityChange::EnrollTotp {
            password: SecretText::new(self.enable.value("password")),
        })
    }

    pub fn submit_disable(&mut self) -> Option<Action> {
        self.note = None;
        let form = &mut self.disable;
        form.clear_errors();
        missing(form, "password", "Enter your password.");
        missing(
            form,
            "code",
            "Enter the code your authenticator app shows now.",
        );
        if form.focus_first_error() {
            return None;
        }
        let body = vec![
            "Turn off two-factor sign-in?".to_string(),
            "Signing in will need only your password, and your recovery codes stop working."
                .to_string(),
        ];
        Some(Action::Confirm {
            dialog: Dialog::confirm("Two-factor sign-in", body, "Turn off"),
            on_confirm: Request::from(SecurityChange::DisableTotp {
                password: SecretText::new(form.value("password")),
                code: SecretText::new(form.value("code").trim()),
            }),
        })
    }

    pub fn enrolled(&mut self, result: &Result<TotpEnrollment, ApiError>) {
        match result {
            Ok(enrollment) => {
                self.enable.clear("password");
                self.enrolment = Some(Enrolment::new(enrollment));
            }
            Err(e) => self.enable.place_error(e),
        }
    }

    /// The codes to show once, when the first code was right.
    pub fn confirmed(
        &mut self,
        result: &Result<RecoveryCodes, ApiError>,
    ) -> Option<Vec<SecretText>> {
        match result {
            Ok(codes) => {
                *self = Self::default();
                Some(codes.recovery_codes.clone())
            }
            Err(e) => {
                if let Some(enrolment) = &mut self.enrolment {
                    enrolment.code.place_error(e);
                }
                None
            }
        }
    }

    pub fn disabled(&mut self, result: &Result<(), ApiError>) {
        match result {
            Ok(()) => {
                *self = Self::default();
                self.note = Some("Two-factor sign-in is off.".into());
            }
            Err(e) => self.disable.place_error(e),
        }
    }
}

#[derive(Debug, Clone)]
pub struct RecoveryPage {
    pub form: Form,
}

impl Default for RecoveryPage {
    fn default() -> Self {
        Self {
            form: Form::new(vec![("password", password_field("Password"))]),
        }
    }
}

impl RecoveryPage {
    /// Asks first: the codes in hand stop working. `remaining` is None
    /// while the status is unknown.
    pub fn submit(&mut self, remaining: Option<u32>) -> Option<Action> {
        self.form.clear_errors();
        missing(
            &mut self.form,
            "password",
            "Enter your password to confirm.",
        );
        if self.form.focus_first_error() {
            return None;
        }
        let old = match remaining {
            Some(1) => "The 1 unused code you have stops working.".to_string(),
            Some(n) => format!("The {n} unused codes you have stop working."),
            None => "The codes you have stop working.".to_string(),
        };
        Some(Action::Confirm {
            dialog: Dialog::confirm(
                "New recovery codes",
                vec!["Make 10 new recovery codes?".to_string(), old],
                "Make new codes",
            ),
            on_confirm: Request::from(SecurityChange::RegenerateRecoveryCodes {
                password: SecretText::new(self.form.value("password")),
            }),
        })
    }
}
