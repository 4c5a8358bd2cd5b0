"""Vårdnav's standard complaint areas and their triage questionnaires, written for the project.

Why in code: a provider starting digital visits gets a catalogue that works on
day one (`actions.do_install_standard_areas`); it edits its own copy
afterwards. The questions are Vårdnav's own wording. The red flags follow the
national 1177 advice (call 112 for chest pain, sudden breathlessness, stroke
signs, signs of sepsis and acute suicidal thoughts) and send the resident on
at once, before anything is stored (VISIT-1).
"""

from __future__ import annotations

from typing import Any

YES_NO_RED = "="


def _bool(link_id: str, text: str, *, required: bool = True, **extra: Any) -> dict[str, Any]:
    return {"linkId": link_id, "type": "boolean", "text": text, "required": required, **extra}


def _choice(
    link_id: str,
    text: str,
    options: list[tuple[str, str]],
    *,
    repeats: bool = False,
    required: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "linkId": link_id,
        "type": "choice",
        "text": text,
        "required": required,
        "repeats": repeats,
        "answerOption": [{"code": code, "display": display} for code, display in options],
        **extra,
    }


def _text(
    link_id: str, text: str, *, required: bool = False, long: bool = True, max_length: int = 1000, **extra: Any
) -> dict[str, Any]:
    return {
        "linkId": link_id,
        "type": "text" if long else "string",
        "text": text,
        "required": required,
        "maxLength": max_length,
        **extra,
    }


def _when(question: str, answer: Any = True) -> dict[str, Any]:
    return {"enableWhen": [{"question": question, "operator": "=", "answer": answer}]}


def _image(text: str) -> dict[str, Any]:
    return {"linkId": "image", "type": "attachment", "text": text, "required": False}


def _flag(
    code: str, question: str, call: str, advice: str, *, answer: Any = True, operator: str = "="
) -> dict[str, Any]:
    return {"code": code, "question": question, "operator": operator, "answer": answer, "call": call, "advice": advice}


EMERGENCY_NOTE = {
    "linkId": "emergency_note",
    "type": "display",
    "text": "Digital vård är inte till för akuta besvär. Vid livshotande tillstånd: ring 112.",
    "required": False,
}
DURATION = _choice(
    "duration",
    "Hur länge har du haft besvären?",
    [
        ("day", "Mindre än ett dygn"),
        ("days", "1–3 dygn"),
        ("week", "4–7 dygn"),
        ("weeks", "1–4 veckor"),
        ("month", "Mer än en månad"),
    ],
)
SEVERITY = _choice(
    "severity",
    "Hur besvärande är det?",
    [("mild", "Lindrigt"), ("moderate", "Måttligt"), ("severe", "Mycket besvärande")],
)
WORSE = _bool("getting_worse", "Har besvären blivit värre det senaste dygnet?")
FEVER = _bool("fever", "Har du haft feber, 38 grader eller mer?")
TEMPERATURE = {
    "linkId": "temperature",
    "type": "decimal",
    "text": "Hur hög var febern som högst (grader)?",
    "required": False,
    "minValue": 35,
    "maxValue": 43,
    **_when("fever"),
}
PREGNANT = _choice(
    "pregnant",
    "Är du gravid eller ammar du?",
    [
        ("pregnant", "Ja, jag är gravid"),
        ("breastfeeding", "Jag ammar"),
        ("no", "Nej"),
        ("not_applicable", "Inte aktuellt"),
    ],
)
HEALTH = [
    _bool("allergies", "Är du allergisk mot något läkemedel?"),
    _text(
        "allergy_details",
        "Vilka läkemedel är du allergisk mot?",
        long=False,
        max_length=200,
        required=True,
        **_when("allergies"),
    ),
    _bool("medicines", "Använder du några läkemedel just nu, även receptfria?"),
    _text("medicine_details", "Vilka läkemedel använder du?", required=True, max_length=500, **_when("medicines")),
    _bool("conditions", "Har du någon långvarig sjukdom?"),
    _text("condition_details", "Vilken eller vilka sjukdomar?", required=True, max_length=500, **_when("conditions")),
]
TRIED = _text("self_care", "Vad har du provat själv, och hjälpte det?", max_length=500)
DESCRIPTION = _text("description", "Beskriv dina besvär med egna ord.", required=True, max_length=2000)
EXPECTATION = _text("expectation", "Vad vill du ha hjälp med i dag?", max_length=500)

# The general signs of a life-threatening condition, asked first in every area where they fit.
CHEST_PAIN = _bool("chest_pain", "Har du bröstsmärta eller tryck över bröstet just nu?")
BREATHLESS = _bool("breathless", "Har du plötsligt fått svårt att andas, även när du vilar?")
CONFUSED = _bool("confused", "Är du förvirrad, onormalt dåsig eller svår att få kontakt med?")
STROKE = _bool(
    "stroke_signs",
    "Har du plötsligt fått en hängande mungipa, svaghet i en arm eller ett ben, eller svårt att prata?",
)
GENERAL_FLAGS = [
    _flag("chest_pain", "chest_pain", "112", "Bröstsmärta kan vara tecken på en hjärtinfarkt."),
    _flag("breathless", "breathless", "112", "Plötslig andnöd behöver bedömas akut."),
    _flag("confused", "confused", "112", "Förvirring med sjukdomskänsla kan vara tecken på sepsis (blodförgiftning)."),
]
STROKE_FLAG = _flag("stroke_signs", "stroke_signs", "112", "Det kan vara tecken på stroke: varje minut räknas.")
HIGH_FEVER_FLAG = _flag(
    "high_fever", "temperature", "1177", "Feber på 40 grader eller mer behöver bedömas i dag.", operator=">=", answer=40
)


def _triage(
    red: list[dict[str, Any]],
    specific: list[dict[str, Any]],
    *,
    fever: bool = True,
    pregnant: bool = True,
    image: str = "",
) -> list[dict[str, Any]]:
    items = [EMERGENCY_NOTE, *red, DURATION, SEVERITY, WORSE, *specific]
    if fever:
        items += [FEVER, TEMPERATURE]
    if pregnant:
        items.append(PREGNANT)
    items += [*HEALTH, TRIED, DESCRIPTION]
    if image:
        items.append(_image(image))
    items.append(EXPECTATION)
    return items


UTI = _triage(
    [
        CHEST_PAIN,
        BREATHLESS,
        CONFUSED,
        _bool("flank_pain", "Har du ont i sidan av ryggen, nedanför revbenen?"),
        _bool("shivering", "Har du frossa eller skakningar?"),
    ],
    [
        _choice("sex", "Vilket kön är du registrerad med?", [("female", "Kvinna"), ("male", "Man")]),
        _bool("burning", "Svider eller gör det ont när du kissar?"),
        _bool("frequent", "Behöver du kissa oftare än vanligt?"),
        _bool("urgency", "Kommer kissnödigheten plötsligt och är svår att hålla?"),
        _bool("blood_in_urine", "Har du sett blod i urinen?"),
        _bool("discharge", "Har du fått flytningar som är annorlunda än vanligt?"),
        _choice(
            "earlier_uti",
            "Hur många urinvägsinfektioner har du haft det senaste året?",
            [("none", "Ingen"), ("one_two", "1–2"), ("three_plus", "3 eller fler")],
        ),
        _bool("catheter", "Har du urinkateter?"),
    ],
)
UTI_FLAGS = [
    *GENERAL_FLAGS,
    _flag("flank_pain", "flank_pain", "1177", "Ont i sidan av ryggen kan betyda att infektionen har nått njurarna."),
    _flag("shivering", "shivering", "1177", "Frossa tillsammans med urinvägsbesvär behöver bedömas i dag."),
    HIGH_FEVER_FLAG,
]

SKIN = _triage(
    [
        CHEST_PAIN,
        BREATHLESS,
        _bool("swelling_face", "Har du fått svullnad i ansiktet, läpparna eller tungan?"),
        _bool("red_streak", "Har du en röd strimma som sprider sig från ett sår eller en rodnad?"),
        _bool("blisters_mucosa", "Har du blåsor eller sår i munnen, ögonen eller underlivet tillsammans med utslagen?"),
    ],
    [
        _choice(
            "location",
            "Var på kroppen sitter besvären?",
            [
                ("face", "Ansiktet"),
                ("scalp", "Hårbotten"),
                ("body", "Bålen"),
                ("arms_legs", "Armar eller ben"),
                ("hands_feet", "Händer eller fötter"),
                ("genitals", "Underlivet"),
            ],
            repeats=True,
        ),
        _bool("itching", "Kliar det?"),
        _bool("spreading", "Sprider sig utslagen?"),
        _bool("new_medicine", "Har du börjat med något nytt läkemedel de senaste två veckorna?"),
        _bool("mole_changed", "Gäller det ett födelsemärke som har ändrat form, färg eller storlek?"),
        _bool("others_affected", "Har någon i din närhet liknande utslag?"),
    ],
    image="Bifoga en skarp bild av huden i dagsljus (bilden hjälper oss att bedöma besvären).",
)
SKIN_FLAGS = [
    *GENERAL_FLAGS[:2],
    _flag(
        "swelling_face",
        "swelling_face",
        "112",
        "Svullnad i ansikte, läppar eller tunga kan vara en allvarlig allergisk reaktion.",
    ),
    _flag("red_streak", "red_streak", "1177", "En röd strimma kan vara tecken på en infektion som sprider sig."),
    _flag(
        "blisters_mucosa",
        "blisters_mucosa",
        "1177",
        "Blåsor i slemhinnor tillsammans med utslag behöver bedömas i dag.",
    ),
    HIGH_FEVER_FLAG,
]

RESPIRATORY = _triage(
    [
        CHEST_PAIN,
        BREATHLESS,
        CONFUSED,
        _bool("drooling", "Har du så ont i halsen att du inte kan svälja din egen saliv?"),
        _bool("coughing_blood", "Hostar du upp blod?"),
    ],
    [
        _choice(
            "symptoms",
            "Vilka besvär har du?",
            [
                ("cough", "Hosta"),
                ("sore_throat", "Ont i halsen"),
                ("runny_nose", "Snuva eller nästäppa"),
                ("ear", "Ont i örat"),
                ("sinus", "Värk i pannan eller kinderna"),
                ("hoarse", "Heshet"),
            ],
            repeats=True,
        ),
        _bool("asthma", "Har du astma eller KOL?"),
        _bool("smoker", "Röker du?"),
        _bool("wheezing", "Piper eller väser det när du andas?"),
        _bool("sick_contact", "Är någon i din närhet sjuk med liknande besvär?"),
    ],
)
RESPIRATORY_FLAGS = [
    *GENERAL_FLAGS,
    _flag(
        "drooling", "drooling", "112", "Att inte kunna svälja sin saliv kan betyda en svullnad som hotar luftvägarna."
    ),
    _flag("coughing_blood", "coughing_blood", "1177", "Blod i upphostningar behöver bedömas i dag."),
    HIGH_FEVER_FLAG,
]

MENTAL = _triage(
    [
        _bool("suicidal_now", "Har du tankar på att ta ditt liv just nu?"),
        _bool("suicide_plan", "Har du planerat hur du skulle ta ditt liv?"),
        _bool("harm_others", "Är du rädd att du ska skada någon annan?"),
        _bool("psychosis", "Hör eller ser du saker som andra inte gör, eller känner du dig förföljd?"),
    ],
    [
        _choice(
            "concerns",
            "Vad gäller det?",
            [
                ("low_mood", "Nedstämdhet"),
                ("anxiety", "Oro eller ångest"),
                ("stress", "Stress"),
                ("sleep", "Sömnproblem"),
                ("grief", "Sorg eller kris"),
                ("other", "Annat"),
            ],
            repeats=True,
        ),
        _choice(
            "sleep",
            "Hur sover du?",
            [("well", "Bra"), ("some", "Något sämre än vanligt"), ("badly", "Dåligt de flesta nätter")],
        ),
        _bool("daily_life", "Påverkar måendet ditt arbete, dina studier eller din vardag?"),
        _choice(
            "alcohol",
            "Hur ofta dricker du alkohol?",
            [
                ("never", "Aldrig"),
                ("monthly", "En gång i månaden eller mer sällan"),
                ("weekly", "Varje vecka"),
                ("daily", "Nästan varje dag"),
            ],
        ),
        _bool("earlier_treatment", "Har du fått behandling för psykisk ohälsa tidigare?"),
        _bool("support", "Har du någon i din närhet att prata med?"),
        _bool("sick_leave_now", "Är du sjukskriven just nu?"),
    ],
    fever=False,
    pregnant=False,
)
MENTAL_FLAGS = [
    _flag(
        "suicidal_now",
        "suicidal_now",
        "112",
        "Ring 112 om du är i akut fara. Du kan också ringa Självmordslinjen på 90101.",
    ),
    _flag(
        "suicide_plan",
        "suicide_plan",
        "112",
        "Ring 112 om du är i akut fara. Du kan också ringa Självmordslinjen på 90101.",
    ),
    _flag("harm_others", "harm_others", "112", "Du behöver hjälp direkt."),
    _flag("psychosis", "psychosis", "1177", "Ring 1177 så får du veta var närmaste psykiatriska akutmottagning finns."),
]

CONTRACEPTION = _triage(
    [CHEST_PAIN, BREATHLESS, _bool("leg_swelling", "Har du plötsligt fått ett svullet, ömt och varmt ben?"), STROKE],
    [
        _choice(
            "wish",
            "Vad vill du ha hjälp med?",
            [
                ("start", "Börja med preventivmedel"),
                ("renew", "Förnya det jag har"),
                ("change", "Byta metod"),
                ("stop", "Sluta"),
                ("emergency", "Akut p-piller"),
            ],
        ),
        _choice(
            "current",
            "Vilket preventivmedel använder du nu?",
            [
                ("none", "Inget"),
                ("pill", "P-piller"),
                ("minipill", "Minipiller"),
                ("ring", "P-ring"),
                ("patch", "P-plåster"),
                ("implant", "P-stav"),
                ("iud", "Spiral"),
            ],
        ),
        _bool("smoker_over_35", "Är du över 35 år och röker?"),
        _bool("migraine_aura", "Har du migrän med aura (synstörningar före huvudvärken)?"),
        _bool("clot_history", "Har du eller någon nära släkting haft blodpropp?"),
        _bool("blood_pressure_measured", "Har du mätt ditt blodtryck det senaste året?"),
        _text(
            "blood_pressure",
            "Vilket blodtryck hade du (till exempel 120/80)?",
            long=False,
            max_length=20,
            required=True,
            **_when("blood_pressure_measured"),
        ),
        _bool("bleeding_problems", "Har du oregelbundna eller kraftiga blödningar?"),
    ],
    fever=False,
)
CONTRACEPTION_FLAGS = [
    *GENERAL_FLAGS[:2],
    _flag(
        "leg_swelling", "leg_swelling", "1177", "Ett svullet, ömt ben kan vara en blodpropp och behöver bedömas i dag."
    ),
    STROKE_FLAG,
]

PHYSIO = _triage(
    [
        CHEST_PAIN,
        _bool("saddle_numbness", "Har du fått domningar i underlivet eller svårt att kissa eller hålla tätt?"),
        _bool("leg_weakness", "Har du fått kraftlöshet i ett eller båda benen?"),
        _bool("recent_trauma", "Började besvären efter ett fall, en olycka eller ett slag?"),
    ],
    [
        _choice(
            "body_part",
            "Var har du ont?",
            [
                ("low_back", "Ländryggen"),
                ("neck", "Nacken"),
                ("shoulder", "Axeln"),
                ("knee", "Knät"),
                ("hip", "Höften"),
                ("other", "Annat ställe"),
            ],
            repeats=True,
        ),
        _bool("radiating", "Strålar smärtan ut i en arm eller ett ben?"),
        _bool("night_pain", "Väcks du av smärtan på natten?"),
        _choice(
            "work",
            "Hur påverkar besvären ditt arbete?",
            [("none", "Inte alls"), ("some", "Jag arbetar men med besvär"), ("cannot", "Jag kan inte arbeta")],
        ),
        _bool("exercise", "Tränar eller rör du dig regelbundet?"),
        _bool("weight_loss", "Har du gått ner i vikt utan att försöka?"),
    ],
    fever=False,
    pregnant=False,
    image="Du kan bifoga en bild om det syns något, till exempel en svullnad.",
)
PHYSIO_FLAGS = [
    GENERAL_FLAGS[0],
    _flag(
        "saddle_numbness",
        "saddle_numbness",
        "112",
        "Domningar i underlivet eller svårt att kissa kan betyda tryck på nerverna i ryggen.",
    ),
    _flag("leg_weakness", "leg_weakness", "1177", "Nytillkommen kraftlöshet i benen behöver bedömas i dag."),
    _flag("recent_trauma", "recent_trauma", "1177", "Efter ett fall eller en olycka behöver du undersökas på plats."),
]

STI = _triage(
    [CHEST_PAIN, _bool("severe_abdominal_pain", "Har du svår smärta i nedre delen av magen?")],
    [
        _choice("sex", "Vilket kön är du registrerad med?", [("female", "Kvinna"), ("male", "Man")]),
        _choice(
            "reason",
            "Varför vill du testa dig?",
            [
                ("symptoms", "Jag har besvär"),
                ("partner", "En partner har fått en könssjukdom"),
                ("check", "Jag vill kontrollera mig"),
            ],
        ),
        _bool("unprotected", "Har du haft oskyddat sex de senaste tre månaderna?"),
        _choice(
            "when",
            "När hade du oskyddat sex senast?",
            [("week", "Den senaste veckan"), ("weeks", "1–2 veckor sedan"), ("older", "Mer än två veckor sedan")],
            **_when("unprotected"),
        ),
        _bool("discharge", "Har du flytningar som är annorlunda än vanligt?"),
        _bool("burning", "Svider det när du kissar?"),
        _bool("sores", "Har du sår eller blåsor i underlivet?"),
        _bool("tested_before", "Har du testat dig tidigare?"),
    ],
)
STI_FLAGS = [
    GENERAL_FLAGS[0],
    _flag(
        "severe_abdominal_pain",
        "severe_abdominal_pain",
        "1177",
        "Svår smärta i nedre delen av magen behöver bedömas i dag.",
    ),
    HIGH_FEVER_FLAG,
]

# slug → the area: names, profession (VISIT-2), digital or where to turn (VISIT-7), revisits (VISIT-4), triage.
STANDARD_AREAS: list[dict[str, Any]] = [
    {
        "slug": "urinvagsinfektion",
        "name": "Urinvägsinfektion",
        "name_en": "Urinary tract infection",
        "summary": "Sveda när du kissar, täta trängningar.",
        "summary_en": "A burning feeling when you pass urine, a frequent need to go.",
        "profession": "doctor",
        "items": UTI,
        "red_flags": UTI_FLAGS,
    },
    {
        "slug": "hudbesvar",
        "name": "Hudbesvär",
        "name_en": "Skin problems",
        "summary": "Utslag, eksem, akne, födelsemärken. Du bifogar en bild.",
        "summary_en": "Rashes, eczema, acne, moles. You attach a picture.",
        "profession": "doctor",
        "items": SKIN,
        "red_flags": SKIN_FLAGS,
    },
    {
        "slug": "luftvagar",
        "name": "Förkylning, hosta och halsont",
        "name_en": "Colds, cough and sore throat",
        "summary": "Besvär från näsa, hals, öron och luftrör.",
        "summary_en": "Problems with the nose, throat, ears and airways.",
        "profession": "doctor",
        "items": RESPIRATORY,
        "red_flags": RESPIRATORY_FLAGS,
    },
    {
        "slug": "psykisk-ohalsa",
        "name": "Psykisk ohälsa",
        "name_en": "Mental health",
        "summary": "Oro, nedstämdhet, stress och sömnproblem. Du får kontakt med en psykolog.",
        "summary_en": "Worry, low mood, stress and sleep problems. You are in touch with a psychologist.",
        "profession": "psychologist",
        "items": MENTAL,
        "red_flags": MENTAL_FLAGS,
    },
    {
        "slug": "preventivmedel",
        "name": "Preventivmedel",
        "name_en": "Contraception",
        "summary": "Börja, byta eller förnya preventivmedel hos en barnmorska.",
        "summary_en": "Start, change or renew contraception with a midwife.",
        "profession": "midwife",
        "items": CONTRACEPTION,
        "red_flags": CONTRACEPTION_FLAGS,
    },
    {
        "slug": "rygg-nacke-leder",
        "name": "Rygg, nacke och leder",
        "name_en": "Back, neck and joints",
        "summary": "Värk i rygg, nacke och leder. Du får kontakt med en fysioterapeut.",
        "summary_en": "Pain in the back, neck and joints. You are in touch with a physiotherapist.",
        "profession": "physiotherapist",
        "items": PHYSIO,
        "red_flags": PHYSIO_FLAGS,
    },
    {
        "slug": "klamydia-och-konssjukdomar",
        "name": "Klamydia och könssjukdomar",
        "name_en": "Chlamydia and sexually transmitted infections",
        "summary": "Provtagning och råd. Inga återbesök: du kan skriva i ärendet igen inom 4 dagar.",
        "summary_en": "Testing and advice. No revisits: you can write in the case again within 4 days.",
        "profession": "nurse",
        "revisits_allowed": False,
        "items": STI,
        "red_flags": STI_FLAGS,
    },
    {
        "slug": "brostsmarta-och-hjarta",
        "name": "Bröstsmärta och hjärtklappning",
        "name_en": "Chest pain and palpitations",
        "summary": "Kan inte bedömas digitalt.",
        "summary_en": "Cannot be assessed digitally.",
        "profession": "doctor",
        "handled_digitally": False,
        "where_to_turn": (
            "Har du bröstsmärta, tryck över bröstet eller plötslig andnöd: ring 112. "
            "Har du hjärtklappning utan andra besvär: ring 1177 för råd om var du ska söka vård."
        ),
        "where_to_turn_en": (
            "If you have chest pain, pressure over the chest or sudden breathlessness: call 112. "
            "If you have palpitations without other symptoms: call 1177 for advice on where to seek care."
        ),
    },
    {
        "slug": "olycksfall-och-skador",
        "name": "Olycksfall och skador",
        "name_en": "Accidents and injuries",
        "summary": "Kan inte bedömas digitalt.",
        "summary_en": "Cannot be assessed digitally.",
        "profession": "doctor",
        "handled_digitally": False,
        "where_to_turn": (
            "En skada behöver undersökas på plats. Vid allvarlig skada: ring 112. Annars kan du söka vård på "
            "en närakut eller vårdcentral; ring 1177 om du vill ha råd om var."
        ),
        "where_to_turn_en": (
            "An injury needs to be examined in person. For a serious injury: call 112. Otherwise go to an urgent "
            "care clinic or health centre; call 1177 if you want advice on where."
        ),
    },
]
