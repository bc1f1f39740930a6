"""Governance refusals, in French and English, added to the registry's catalogue at import."""

from __future__ import annotations

from registry.errors import MESSAGES

GOVERNANCE_MESSAGES: dict[str, tuple[str, str]] = {
    "invalid_pseudonym": (
        "Pseudonyme invalide : « {pseudonym} ». 2 à 40 caractères (lettres, chiffres, . - ' _), "
        "sans espace ni adresse : le registre ne connaît les membres que par leur pseudonyme.",
        "Invalid pseudonym: '{pseudonym}'. 2 to 40 characters (letters, digits, . - ' _), "
        "no space and no address: the registry knows members by pseudonym only.",
    ),
    "invalid_wave": (
        "Vague invalide : {wave}. Les vagues sont numérotées à partir de 1.",
        "Invalid wave: {wave}. Waves are numbered from 1.",
    ),
    "unknown_role": (
        "Rôle inconnu : « {role} ». Rôles possibles : {known}.",
        "Unknown role: '{role}'. Possible roles: {known}.",
    ),
    "role_required": ("Au moins un rôle est nécessaire.", "At least one role is needed."),
    "roles_unchanged": (
        "{pseudonym} a déjà exactement ces rôles : rien n'a été changé.",
        "{pseudonym} already has exactly these roles: nothing was changed.",
    ),
    "member_exists": (
        "Le pseudonyme « {pseudonym} » est déjà pris dans cette caisse.",
        "Pseudonym '{pseudonym}' is already taken in this caisse.",
    ),
    "member_not_found": (
        "Aucun membre « {pseudonym} » dans la caisse {caisse}.",
        "No member '{pseudonym}' in caisse {caisse}.",
    ),
    "member_left": (
        "{pseudonym} a quitté le collectif : plus de vote ni de changement possible.",
        "{pseudonym} has left: no more votes or changes.",
    ),
    "session_required": (
        "Le nom de la formation est obligatoire.",
        "The session name is required.",
    ),
    "training_exists": (
        "La formation « {session} » de {pseudonym} est déjà enregistrée.",
        "Training '{session}' of {pseudonym} is already recorded.",
    ),
    "not_eligible": (
        "{pseudonym} ne peut pas voter : ses rôles ({roles}) ne font pas partie de l'instance "
        "qui décide ({body}). Observateurs et experts sont consultés mais ne votent pas.",
        "{pseudonym} cannot vote: their roles ({roles}) are not part of the deciding body "
        "({body}). Observers and experts are consulted but never vote.",
    ),
    "untrained": (
        "{pseudonym} ne peut pas encore voter : la charte exige une formation avant de décider, "
        "et aucune n'est enregistrée à cette date.",
        "{pseudonym} cannot vote yet: the charter requires training before deciding, and none "
        "is recorded by that date.",
    ),
    "cannot_propose": (
        "« {actor} » ne peut pas ouvrir de proposition : il faut être membre du collectif, "
        "expérimentateur ou animateur.",
        "'{actor}' cannot open a proposal: only collective members, participants and "
        "facilitators can.",
    ),
    "charter_exists": (
        "La caisse {caisse} a déjà une charte : elle ne change que par une proposition.",
        "Caisse {caisse} already has a charter: it changes only through a proposal.",
    ),
    "charter_needs_proposal": (
        "La charte ne change que par une proposition adoptée.",
        "The charter changes only through an adopted proposal.",
    ),
    "charter_version_not_found": (
        "Version de charte inconnue : {number} (dernière : {last}).",
        "Unknown charter version: {number} (latest: {last}).",
    ),
    "invalid_charter": ("Charte invalide : {details}", "Invalid charter: {details}"),
    "mode_not_allowed": (
        "Le mode « {mode} » n'est pas permis par la charte pour « {kind} ». Modes permis : "
        "{allowed}.",
        "Mode '{mode}' is not allowed by the charter for '{kind}'. Allowed modes: {allowed}.",
    ),
    "title_required": ("Le titre est obligatoire.", "A title is required."),
    "poll_only_for_questions": (
        "Le sondage ne sert qu'aux questions ouvertes, pas aux critères, lieux ou à la charte.",
        "Polls are for open questions only, not for criteria, places or the charter.",
    ),
    "poll_needs_options": (
        "Un sondage demande au moins deux options distinctes et non vides.",
        "A poll needs at least two distinct, non-empty options.",
    ),
    "options_need_poll": (
        "Des options ne se proposent qu'en mode sondage.",
        "Options are only for the poll mode.",
    ),
    "options_removed": (
        "Un amendement ne retire pas d'options déjà soumises au vote : {options}.",
        "An amendment does not remove options already put to the vote: {options}.",
    ),
    "invalid_place_decision": (
        "Une décision sur un lieu demande un SIRET, une action et un motif.",
        "A decision on a place needs a SIRET, an action and a reason.",
    ),
    "unknown_action": (
        "Action inconnue : « {action} ». Actions possibles : {known}.",
        "Unknown action: '{action}'. Possible actions: {known}.",
    ),
    "proposal_exists": (
        "Une proposition « {title} » a déjà été ouverte au même instant.",
        "A proposal '{title}' was already opened at the same moment.",
    ),
    "proposal_not_found": (
        "Aucune proposition ne correspond à « {ref} » (au moins 4 caractères de l'identifiant).",
        "No proposal matches '{ref}' (at least 4 characters of its id).",
    ),
    "proposal_ambiguous": (
        "« {ref} » désigne {count} propositions : donnez plus de caractères de l'identifiant.",
        "'{ref}' matches {count} proposals: give more characters of the id.",
    ),
    "proposal_closed": (
        "La proposition « {title} » est close : plus de vote ni de changement.",
        "Proposal '{title}' is closed: no more votes or changes.",
    ),
    "proposal_withdrawn": (
        "La proposition « {title} » a été retirée.",
        "Proposal '{title}' was withdrawn.",
    ),
    "vote_late": (
        "Trop tard : le vote s'est terminé le {deadline}.",
        "Too late: voting ended on {deadline}.",
    ),
    "vote_repeated": (
        "{pseudonym} a déjà voté exactement ainsi : le vote en cours reste compté.",
        "{pseudonym} already voted exactly so: the standing vote still counts.",
    ),
    "unknown_choice": (
        "Choix inconnu : « {choice} ». Choix possibles : {known}.",
        "Unknown choice: '{choice}'. Possible choices: {known}.",
    ),
    "choice_not_allowed": (
        "« {choice} » n'a pas de sens en {mode}. Choix possibles : {allowed}.",
        "'{choice}' does not apply to {mode}. Possible choices: {allowed}.",
    ),
    "unknown_option": (
        "Option inconnue : {option}. Options soumises au vote : {known}.",
        "Unknown option: {option}. Options put to the vote: {known}.",
    ),
    "option_repeated": (
        "Une option ne peut être classée qu'une fois.",
        "An option can be ranked only once.",
    ),
    "single_choice_only": (
        "Ce sondage est à choix unique : une seule option.",
        "This poll is single choice: one option only.",
    ),
    "nothing_to_lift": (
        "{pseudonym} n'a ni blocage ni objection en cours sur cette proposition.",
        "{pseudonym} has no standing block or objection on this proposal.",
    ),
    "amendment_note_required": (
        "Un amendement dit ce qu'il change : la note est obligatoire.",
        "An amendment says what it changes: a note is required.",
    ),
    "amendment_empty": (
        "L'amendement ne change ni le titre, ni le texte, ni le contenu.",
        "The amendment changes neither the title, the text nor the content.",
    ),
    "not_author": (
        "Seul l'auteur de la proposition ({proposer}) ou un animateur peut faire cela, "
        "pas « {actor} ».",
        "Only the proposer ({proposer}) or a facilitator can do this, not '{actor}'.",
    ),
    "facilitator_only": (
        "Seul un animateur peut {action}.",
        "Only a facilitator can do this ({action}).",
    ),
    "actor_left": (
        "« {actor} » a quitté le collectif : ce compte ne peut plus agir comme {role}.",
        "'{actor}' has left the collective: this account can no longer act as {role_en}.",
    ),
    "actor_not_member": (
        "« {actor} » n'est pas membre de la caisse {caisse} : il faut en être membre pour agir "
        "comme {role}.",
        "'{actor}' is not a member of caisse {caisse}: only its members can act as {role_en}.",
    ),
    "actor_lacks_role": (
        "« {actor} » n'a pas le rôle {role} dans la caisse {caisse} : demandez-le à l'animation.",
        "'{actor}' does not hold the role {role_en} in caisse {caisse}: ask its facilitators.",
    ),
    "other_caisse": (
        "Ceci relève de la caisse « {other} ». Votre compte appartient à la caisse « {mine} » : "
        "vous ne pouvez agir que pour elle.",
        "This belongs to the caisse '{other}'. Your account belongs to the caisse '{mine}': you "
        "may only act for it.",
    ),
    "close_before_deadline": (
        "Le vote court jusqu'au {deadline} : seul un animateur peut le clore avant.",
        "Voting runs until {deadline}: only a facilitator can close it earlier.",
    ),
    "minutes_required": (
        "Un vote en réunion cite son compte rendu (référence ou lien).",
        "A meeting vote cites its minutes (reference or link).",
    ),
    "meeting_tally_invalid": (
        "Décompte de réunion invalide : {details}.",
        "Invalid meeting tally: {details}.",
    ),
    "concurrent_change": (
        "Quelqu'un vient de modifier la même chose en même temps : rien n'a été enregistré, "
        "recommencez.",
        "Someone changed the same thing at the same moment: nothing was stored, try again.",
    ),
    "not_enactable": (
        "La proposition « {title} » n'est pas adoptée, ou son effet est déjà appliqué.",
        "Proposal '{title}' is not adopted, or its effect was already applied.",
    ),
}

MESSAGES.update(GOVERNANCE_MESSAGES)
