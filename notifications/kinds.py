"""Every message kind: its title and body templates (translated through gettext), the order of
its variables, and the DLT template it is registered as, per language.

India's DLT rules: an SMS must equal a registered template with only its `{#var#}` parts
filled. So each SMS kind's text here is fixed per language, its variables are listed in the
registered order, and `DLT_TEMPLATES` holds the registered text (a test renders every kind in
every language and matches it). The templates use `str.format` names (`{doctor}`), which
translators keep as they are (python-brace-format in the .po file).
"""

from dataclasses import dataclass

from django.utils.translation import gettext_noop as N_

from notifications.models import Kind

LANGUAGES = ("en", "hi")


@dataclass(frozen=True)
class KindSpec:
    title: str
    body: str
    variables: tuple[str, ...]
    # Variables never stored: rendered as REDACTED in the saved body, filled in when sending.
    secret: tuple[str, ...] = ()
    # Sent by SMS whatever the recipient's SMS preference (the only way to reach a new member).
    always_sms: bool = False


REDACTED = "********"

_APPOINTMENT = ("doctor", "clinic", "date", "time")

SPECS: dict[str, KindSpec] = {
    Kind.APPOINTMENT_BOOKED: KindSpec(
        N_("Appointment booked"),
        N_(
            "QuickCare: your appointment with {doctor} at {clinic} on {date} at {time} is "
            "booked and awaits the clinic's confirmation."
        ),
        _APPOINTMENT,
    ),
    Kind.APPOINTMENT_BOOKED_DOCTOR: KindSpec(
        N_("New appointment"),
        N_("QuickCare: {patient} booked an appointment with you on {date} at {time}."),
        ("patient", "date", "time"),
    ),
    Kind.APPOINTMENT_CONFIRMED: KindSpec(
        N_("Appointment confirmed"),
        N_("QuickCare: {doctor} confirmed your appointment at {clinic} on {date} at {time}."),
        _APPOINTMENT,
    ),
    Kind.APPOINTMENT_CANCELLED_BY_DOCTOR: KindSpec(
        N_("Appointment cancelled"),
        N_(
            "QuickCare: {doctor} cancelled your appointment on {date} at {time}. "
            "Reason: {reason}. Book another time in the app."
        ),
        ("doctor", "date", "time", "reason"),
    ),
    Kind.APPOINTMENT_CANCELLED_BY_PATIENT: KindSpec(
        N_("Appointment cancelled"),
        N_("QuickCare: {patient} cancelled the appointment on {date} at {time}. Reason: {reason}."),
        ("patient", "date", "time", "reason"),
    ),
    Kind.APPOINTMENT_REMINDER: KindSpec(
        N_("Appointment reminder"),
        N_(
            "QuickCare reminder: your appointment with {doctor} at {clinic} is on {date} at {time}."
        ),
        _APPOINTMENT,
    ),
    Kind.DOCTOR_ON_LEAVE: KindSpec(
        N_("Doctor on leave"),
        N_(
            "QuickCare: {doctor} is on leave on {date}, so your appointment at {time} cannot "
            "go ahead. Next free times: {slots}. Please book again in the app."
        ),
        ("doctor", "date", "time", "slots"),
    ),
    Kind.CONSENT_REQUESTED: KindSpec(
        N_("Consent requested"),
        N_(
            'QuickCare: {doctor} asks to see your document "{document}". Open the app to '
            "grant or reject the request."
        ),
        ("doctor", "document"),
    ),
    Kind.CONSENT_GRANTED: KindSpec(
        N_("Consent granted"),
        N_('QuickCare: {patient} granted you access to the document "{document}".'),
        ("patient", "document"),
    ),
    Kind.CONSENT_REJECTED: KindSpec(
        N_("Consent rejected"),
        N_('QuickCare: {patient} rejected your request to see the document "{document}".'),
        ("patient", "document"),
    ),
    Kind.CONSENT_REVOKED: KindSpec(
        N_("Consent revoked"),
        N_('QuickCare: {patient} revoked your access to the document "{document}".'),
        ("patient", "document"),
    ),
    Kind.CONSENT_EXPIRING: KindSpec(
        N_("Access ends soon"),
        N_(
            'QuickCare: your access to the document "{document}" of {patient} ends on {date} '
            "at {time}."
        ),
        ("document", "patient", "date", "time"),
    ),
    Kind.DOCUMENT_VIEWED: KindSpec(
        N_("Your document was viewed"),
        N_('QuickCare: {doctor} viewed your {document_type} "{document}" on {date} at {time}.'),
        ("doctor", "document_type", "document", "date", "time"),
    ),
    Kind.STAFF_ADDED: KindSpec(
        N_("Welcome to QuickCare"),
        N_(
            "QuickCare: {clinic} added you as {role}. Log in with your mobile number. "
            "Temporary password: {password} (valid {days} days). "
            "Then complete your profile in the app."
        ),
        ("clinic", "role", "password", "days"),
        secret=("password",),
        always_sms=True,
    ),
    Kind.EMERGENCY_ACCESS: KindSpec(
        N_("Emergency access to your records"),
        N_(
            "QuickCare: {doctor} opened emergency access to your documents on {date} at "
            "{time}. Reason: {reason}. The clinic reviews every emergency access."
        ),
        ("doctor", "date", "time", "reason"),
        always_sms=True,
    ),
    Kind.QUEUE_ETA_MOVED: KindSpec(
        N_("Your turn has moved"),
        N_(
            "QuickCare: your turn with {doctor} at {clinic} (token {token}) is now expected "
            "at {time}."
        ),
        ("doctor", "clinic", "token", "time"),
    ),
    Kind.APPOINTMENT_RESCHEDULED: KindSpec(
        N_("Appointment moved"),
        N_("QuickCare: your appointment with {doctor} at {clinic} is moved to {date} at {time}."),
        _APPOINTMENT,
    ),
    Kind.APPOINTMENT_RESCHEDULED_DOCTOR: KindSpec(
        N_("Appointment moved"),
        N_("QuickCare: {patient} moved their appointment with you to {date} at {time}."),
        ("patient", "date", "time"),
    ),
    Kind.WAITLIST_OFFER: KindSpec(
        N_("A slot is held for you"),
        N_(
            "QuickCare: a slot with {doctor} at {clinic} on {date} at {time} is free and held "
            "for you until {until}. Accept it in the app."
        ),
        ("doctor", "clinic", "date", "time", "until"),
    ),
    Kind.WAITLIST_OFFER_EXPIRED: KindSpec(
        N_("Held slot released"),
        N_(
            "QuickCare: the slot with {doctor} on {date} at {time} held for you was not "
            "accepted in time and has gone to the next patient."
        ),
        ("doctor", "date", "time"),
    ),
    Kind.WAITLIST_LEAVE_OFFER: KindSpec(
        N_("Doctor on leave: a new slot is held for you"),
        N_(
            "QuickCare: {doctor} is on leave on {date}, so your appointment at {time} is "
            "cancelled. We are holding {slot} for you until {until}: accept it in the app."
        ),
        ("doctor", "date", "time", "slot", "until"),
    ),
}

# Words that fill variables, translated too.
REASON_NOT_GIVEN = N_("not given")
NO_FREE_TIMES = N_("none in the next {days} days")
ROLE_WORDS = {
    "doctor": N_("doctor"),
    "receptionist": N_("receptionist"),
    "lab member": N_("lab member"),
    "patient": N_("patient"),  # a walk-in registered by the front desk
}
NO_TOKEN = N_("not yet given")
DOCUMENT_TYPE_WORDS = {
    "prescription": N_("prescription"),
    "lab_report": N_("lab report"),
    "imaging": N_("imaging report"),
    "discharge_summary": N_("discharge summary"),
    "insurance": N_("insurance document"),
    "other": N_("document"),
}

# The registered DLT templates, as the operator registers them (one per kind and language).
V = "{#var#}"
DLT_TEMPLATES: dict[str, dict[str, str]] = {
    Kind.APPOINTMENT_BOOKED: {
        "en": f"QuickCare: your appointment with {V} at {V} on {V} at {V} is booked and awaits "
        "the clinic's confirmation.",
        "hi": f"QuickCare: {V} में {V} के साथ {V} को {V} बजे आपका अपॉइंटमेंट बुक हो गया है और "
        "क्लिनिक की पुष्टि की प्रतीक्षा है।",
    },
    Kind.APPOINTMENT_BOOKED_DOCTOR: {
        "en": f"QuickCare: {V} booked an appointment with you on {V} at {V}.",
        "hi": f"QuickCare: {V} ने {V} को {V} बजे आपके साथ अपॉइंटमेंट बुक किया है।",
    },
    Kind.APPOINTMENT_CONFIRMED: {
        "en": f"QuickCare: {V} confirmed your appointment at {V} on {V} at {V}.",
        "hi": f"QuickCare: {V} ने {V} में {V} को {V} बजे आपके अपॉइंटमेंट की पुष्टि कर दी है।",
    },
    Kind.APPOINTMENT_CANCELLED_BY_DOCTOR: {
        "en": f"QuickCare: {V} cancelled your appointment on {V} at {V}. Reason: {V}. "
        "Book another time in the app.",
        "hi": f"QuickCare: {V} ने {V} को {V} बजे का आपका अपॉइंटमेंट रद्द कर दिया है। कारण: {V}। "
        "ऐप में कोई दूसरा समय बुक करें।",
    },
    Kind.APPOINTMENT_CANCELLED_BY_PATIENT: {
        "en": f"QuickCare: {V} cancelled the appointment on {V} at {V}. Reason: {V}.",
        "hi": f"QuickCare: {V} ने {V} को {V} बजे का अपॉइंटमेंट रद्द कर दिया है। कारण: {V}।",
    },
    Kind.APPOINTMENT_REMINDER: {
        "en": f"QuickCare reminder: your appointment with {V} at {V} is on {V} at {V}.",
        "hi": f"QuickCare अनुस्मारक: {V} में {V} के साथ आपका अपॉइंटमेंट {V} को {V} बजे है।",
    },
    Kind.DOCTOR_ON_LEAVE: {
        "en": f"QuickCare: {V} is on leave on {V}, so your appointment at {V} cannot go ahead. "
        f"Next free times: {V}. Please book again in the app.",
        "hi": f"QuickCare: {V} {V} को छुट्टी पर हैं, इसलिए {V} बजे का आपका अपॉइंटमेंट नहीं हो "
        f"पाएगा। अगले खाली समय: {V}। कृपया ऐप में दोबारा बुक करें।",
    },
    Kind.CONSENT_REQUESTED: {
        "en": f'QuickCare: {V} asks to see your document "{V}". Open the app to grant or reject '
        "the request.",
        "hi": f'QuickCare: {V} आपका दस्तावेज़ "{V}" देखना चाहते हैं। अनुरोध स्वीकार या अस्वीकार '
        "करने के लिए ऐप खोलें।",
    },
    Kind.CONSENT_GRANTED: {
        "en": f'QuickCare: {V} granted you access to the document "{V}".',
        "hi": f'QuickCare: {V} ने आपको दस्तावेज़ "{V}" देखने की अनुमति दे दी है।',
    },
    Kind.CONSENT_REJECTED: {
        "en": f'QuickCare: {V} rejected your request to see the document "{V}".',
        "hi": f'QuickCare: {V} ने दस्तावेज़ "{V}" देखने का आपका अनुरोध अस्वीकार कर दिया है।',
    },
    Kind.CONSENT_REVOKED: {
        "en": f'QuickCare: {V} revoked your access to the document "{V}".',
        "hi": f'QuickCare: {V} ने दस्तावेज़ "{V}" देखने की आपकी अनुमति वापस ले ली है।',
    },
    Kind.CONSENT_EXPIRING: {
        "en": f'QuickCare: your access to the document "{V}" of {V} ends on {V} at {V}.',
        "hi": f'QuickCare: {V} के दस्तावेज़ "{V}" तक आपकी पहुँच {V} को {V} बजे समाप्त हो जाएगी।',
    },
    Kind.DOCUMENT_VIEWED: {
        "en": f'QuickCare: {V} viewed your {V} "{V}" on {V} at {V}.',
        "hi": f'QuickCare: {V} ने {V} को {V} बजे आपका दस्तावेज़ "{V}" ({V}) देखा।',
    },
    Kind.STAFF_ADDED: {
        "en": f"QuickCare: {V} added you as {V}. Log in with your mobile number. "
        f"Temporary password: {V} (valid {V} days). Then complete your profile in the app.",
        "hi": f"QuickCare: {V} ने आपको {V} के रूप में जोड़ा है। अपने मोबाइल नंबर से लॉग इन करें। "
        f"अस्थायी पासवर्ड: {V} ({V} दिन के लिए मान्य)। फिर ऐप में अपनी प्रोफ़ाइल पूरी करें।",
    },
    Kind.EMERGENCY_ACCESS: {
        "en": f"QuickCare: {V} opened emergency access to your documents on {V} at {V}. "
        f"Reason: {V}. The clinic reviews every emergency access.",
        "hi": f"QuickCare: {V} ने {V} को {V} बजे आपके दस्तावेज़ों तक आपातकालीन पहुँच ली। "
        f"कारण: {V}। क्लिनिक हर आपातकालीन पहुँच की समीक्षा करता है।",
    },
    Kind.QUEUE_ETA_MOVED: {
        "en": f"QuickCare: your turn with {V} at {V} (token {V}) is now expected at {V}.",
        "hi": f"QuickCare: {V} में {V} के साथ आपकी बारी (टोकन {V}) अब {V} बजे अपेक्षित है।",
    },
    Kind.APPOINTMENT_RESCHEDULED: {
        "en": f"QuickCare: your appointment with {V} at {V} is moved to {V} at {V}.",
        "hi": f"QuickCare: {V} में {V} के साथ आपका अपॉइंटमेंट अब {V} को {V} बजे है।",
    },
    Kind.APPOINTMENT_RESCHEDULED_DOCTOR: {
        "en": f"QuickCare: {V} moved their appointment with you to {V} at {V}.",
        "hi": f"QuickCare: {V} ने आपके साथ अपना अपॉइंटमेंट {V} को {V} बजे कर दिया है।",
    },
    Kind.WAITLIST_OFFER: {
        "en": f"QuickCare: a slot with {V} at {V} on {V} at {V} is free and held for you until "
        f"{V}. Accept it in the app.",
        "hi": f"QuickCare: {V} में {V} के साथ {V} को {V} बजे का स्लॉट खाली है और {V} तक आपके "
        "लिए रखा गया है। ऐप में इसे स्वीकार करें।",
    },
    Kind.WAITLIST_OFFER_EXPIRED: {
        "en": f"QuickCare: the slot with {V} on {V} at {V} held for you was not accepted in "
        "time and has gone to the next patient.",
        "hi": f"QuickCare: {V} के साथ {V} को {V} बजे का आपके लिए रखा गया स्लॉट समय पर स्वीकार "
        "नहीं हुआ और अगले मरीज़ को दे दिया गया है।",
    },
    Kind.WAITLIST_LEAVE_OFFER: {
        "en": f"QuickCare: {V} is on leave on {V}, so your appointment at {V} is cancelled. "
        f"We are holding {V} for you until {V}: accept it in the app.",
        "hi": f"QuickCare: {V} {V} को छुट्टी पर हैं, इसलिए {V} बजे का आपका अपॉइंटमेंट रद्द हो "
        f"गया है। हमने आपके लिए {V} {V} तक रखा है: ऐप में इसे स्वीकार करें।",
    },
}
