"""Every published policy version, by 'name@version'."""

from __future__ import annotations

from policies import (
    accessibility_v1,
    chosen_food_v1,
    engaged_commerce_v1,
    fair_pay_v1,
    peasant_agriculture_v1,
    proximity_v1,
)
from policies.base import Policy

CATALOGUE: dict[str, Policy] = {
    policy.ref: policy
    for policy in (
        peasant_agriculture_v1.POLICY,
        proximity_v1.POLICY,
        engaged_commerce_v1.POLICY,
        chosen_food_v1.POLICY,
        accessibility_v1.POLICY,
        fair_pay_v1.POLICY,
    )
}
