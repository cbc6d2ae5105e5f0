"""Danish for the django-allauth and Wagtail texts citizens and staff see, in the voice of
docs/sprog.md (their own Danish says "Loggede succesfuldt ind", "speciel kode", "Gem skitse"
or nothing at all).

Each msgid below is the library's own, word for word; ``make messages`` extracts them into
frivillig_blocks' catalogue, whose translation wins over the library's because
frivillig_blocks comes before allauth and Wagtail in ``INSTALLED_APPS`` (Django merges the
apps' catalogues so that the first app listed wins). tests/site/test_sprog.py checks that
the pages show ours. Nothing imports this module: it exists to be read by makemessages."""

from django.utils.translation import gettext_noop

ALLAUTH = [
    gettext_noop("Successfully signed in as %(name)s."),
    gettext_noop("You have signed out."),
    gettext_noop("Password successfully changed."),
    gettext_noop("Password successfully set."),
    gettext_noop("You will receive a special code for a password-free sign-in."),
    gettext_noop("A sign-in code has been sent to %(recipient)s."),
    gettext_noop("Send me a sign-in code"),
    gettext_noop("Request Code"),
    gettext_noop("Enter Sign-In Code"),
    gettext_noop("Sign-In Code"),
    gettext_noop("Your sign-in code is listed below. Please enter it in your open browser window."),
    gettext_noop("This mail can be safely ignored if you did not initiate this action."),
    gettext_noop("Hello from %(site_name)s!"),
    gettext_noop("Thank you for using %(site_name)s!\n%(site_domain)s"),
    gettext_noop("Other sign-in options"),
    gettext_noop("Use your password"),
    gettext_noop("Sign In"),
    gettext_noop("Sign Out"),
    gettext_noop("Are you sure you want to sign out?"),
    gettext_noop("Sign Up"),
    gettext_noop("Signup"),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop(
        "If you have not created an account yet, then please %(link)ssign up%(end_link)s first."
    ),
    gettext_noop("Email"),
    gettext_noop("Email (again)"),
    gettext_noop("Email (optional)"),
    gettext_noop("Username (optional)"),
    gettext_noop("Remember Me"),
    gettext_noop("Code"),
    gettext_noop("Incorrect code."),
    gettext_noop("Invalid login."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("Be patient, you are sending too many requests."),
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("A user is already registered with this email address."),
    gettext_noop("You must type the same email each time."),
    gettext_noop("You must type the same password each time."),
    gettext_noop("Email Verification"),
    gettext_noop("Enter Email Verification Code"),
    gettext_noop(
        "Your email verification code is listed below. Please enter it in your open browser window."
    ),
    gettext_noop("Use a different email address"),
    gettext_noop("Verify Your Email Address"),
    gettext_noop("Please Confirm Your Email Address"),
    gettext_noop("Confirm Email Address"),
    gettext_noop("Confirmation email sent to %(email)s."),
    gettext_noop("You have confirmed %(email)s."),
    gettext_noop("Primary email address set."),
    gettext_noop("Removed email address %(email)s."),
    gettext_noop("Confirm"),
    gettext_noop("Unknown Account"),
    gettext_noop("Account Already Exists"),
    gettext_noop("If it was you, you can sign up for an account using the link below."),
    gettext_noop("Sign Up Closed"),
    gettext_noop("We are sorry, but the sign up is currently closed."),
    gettext_noop("This account is currently inactive."),
    # The password pages (reachable from "Glemt adgangskode?").
    gettext_noop("Password Reset"),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send you an email allowing you to reset it."
    ),
    gettext_noop("Reset My Password"),
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop(
        "We have sent you an email. If you have not received it please check your spam folder. Otherwise contact us if you do not receive it in a few minutes."
    ),
    gettext_noop("Change Password"),
    gettext_noop("Bad Token"),
    gettext_noop("Your password is now changed."),
    gettext_noop("Set Password"),
    gettext_noop("Forgot Password?"),
    gettext_noop("Email Address"),
    gettext_noop("Password Reset Email"),
    gettext_noop(
        "You're receiving this email because you or someone else has requested a password reset for your user account.\nIt can be safely ignored if you did not request a password reset. Click the link below to reset your password."
    ),
    gettext_noop(
        'The password reset link was invalid, possibly because it has already been used.  Please request a <a href="%(passwd_reset_url)s">new password reset</a>.'
    ),
]

WAGTAIL = [
    gettext_noop("Save Draft"),
    gettext_noop("Save draft"),
    gettext_noop("Draft"),
    gettext_noop("Unpublish"),
    gettext_noop("%(label)s and Publish"),
    gettext_noop("Submit for moderation"),
    gettext_noop("Submit to %(workflow_name)s"),
    gettext_noop("Resubmit to %(task_name)s"),
    gettext_noop("Cancel workflow "),
    gettext_noop("Restart workflow "),
    gettext_noop("Move up"),
    gettext_noop("Move down"),
    gettext_noop("Copy"),
    gettext_noop("View live"),
    gettext_noop("Preview"),
    gettext_noop("History"),
    gettext_noop("Compare"),
    gettext_noop("Approve"),
    gettext_noop("Request changes"),
    gettext_noop("Sort menu order"),
    gettext_noop("Filter"),
    gettext_noop("Dashboard"),
]
