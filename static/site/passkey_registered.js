// django-otp-webauthn's script says a passkey was registered with this event; the page
// then moves on with its own form (recovery codes at set-up, the updated list later).
document.addEventListener("otp_webauthn.register_complete", () => {
  document.getElementById("passkey-registered-form")?.requestSubmit();
});
