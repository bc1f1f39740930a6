"""Fingerprints a reviewed change replaced, so that versions published before it still run.

A criteria version records the fingerprint of each policy it uses, and refuses to run once
that policy's code has changed. A change that leaves every result as it was (a module moved,
what the fingerprint covers widened) is written here as a succession, older fingerprint to the
one that replaced it, with what changed and why; nothing else makes an older fingerprint valid.
This module is no policy's import, so its table is in no policy's fingerprint.
"""

from __future__ import annotations

from collections.abc import Mapping

# ref -> {older fingerprint: the fingerprint that replaced it}.
#
# December 2026: the declaration model moved, unchanged, from registry.declaration to
# policies.declaration, so that the policies import nothing of the registry. Each published
# policy's one import line of it changed accordingly, and nothing else in it. From then on a
# fingerprint covers the policy's source and that of the policies modules it imports
# (base, declaration, errors); before, it covered the policy's source only.
SUCCESSORS: Mapping[str, Mapping[str, str]] = {
    "accessibility@1": {
        "sha256:dfd2ea835686680acf2e8e566c9f9bd6b6a555036cf4463b147afa6602c5d140": (
            "sha256:badb21a32ed403b5c2a69537f3c6d1397ae3a74105550532a5b6b0f4260a4451"
        ),
    },
    "chosen_food@1": {
        "sha256:7a942cee9637cd7ca819a38ccae9a7c5107155fda2ff9e2fe23558efb3b35552": (
            "sha256:16d614f1f19b4473f2904d7c51113922cd90a2f0a5f118df0fd002e7c73b0bad"
        ),
    },
    "engaged_commerce@1": {
        "sha256:3a80849f800da9f4ee8f228a63e4aaf607bf6b52ea74d7ed6b046c3eedd935b1": (
            "sha256:c8dacedf90b1696c50594270216ec9e289f78c2f191fa969e2f12534f7c432cf"
        ),
    },
    "fair_pay@1": {
        "sha256:d07873c1f31b4847cdc55fa0c8c40a1bb21bef7acdb0bc6a7aa08b19c4cba074": (
            "sha256:87e0ede195af1b8983873a3fa1f8f4bff24f92759bc1e1c2f3b7369baa47ff4f"
        ),
    },
    "peasant_agriculture@1": {
        "sha256:8d6ff63dcadaa8602f00f301f8f1a634411c8f1d25441524b266ec91d3152b76": (
            "sha256:5ca5302f4ebfaa4ec6f009480c785a6ef178fdebe008e69dbfda9e3b26bfe005"
        ),
    },
    "proximity@1": {
        "sha256:b83ffe85a0baa0a1b5be62caa7951ba79c009ac077057733e44991d27dd82d3d": (
            "sha256:f7b94753efd0ca4e8773757ae08c95b3223cabcf653206fb51bf81a124aabde4"
        ),
    },
}


def succeeded_by(ref: str, recorded: str, current: str) -> bool:
    """Whether a recorded fingerprint is the current one, or was replaced by it in succession."""
    successors = SUCCESSORS.get(ref, {})
    seen: set[str] = set()
    while recorded != current:
        if recorded in seen or recorded not in successors:
            return False
        seen.add(recorded)
        recorded = successors[recorded]
    return True
