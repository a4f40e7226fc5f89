"""Need categories and zones every desk creates on its first start.

They get fixed ids (uuid5 of their key) and carry the shared genesis stamp,
so two desks never duplicate them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

_NAMESPACE = uuid.UUID("6f3b1c2e-8a47-4d7e-9a55-1d2c3b4a5e60")


@dataclass(frozen=True)
class DefaultLabel:
    key: str
    label_en: str
    label_es: str

    def id_for(self, kind: str) -> str:
        return fixed_id(kind, self.key)


def fixed_id(kind: str, key: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{key}"))


NEED_CATEGORIES: tuple[DefaultLabel, ...] = (
    DefaultLabel("groceries", "Groceries", "Mandado / despensa"),
    DefaultLabel("prescriptions", "Prescription pickup", "Recoger medicinas"),
    DefaultLabel("rides", "Ride", "Aventón / transporte"),
    DefaultLabel("childcare", "Childcare", "Cuidado de niños"),
    DefaultLabel("rent", "Rent help", "Ayuda con la renta"),
    DefaultLabel("hot_meals", "Hot meals", "Comida caliente"),
    DefaultLabel("hygiene", "Hygiene supplies", "Artículos de higiene"),
    DefaultLabel("check_in", "Check-in call", "Llamada para ver cómo está"),
    DefaultLabel("pet_care", "Pet care", "Cuidado de mascotas"),
    DefaultLabel("other", "Other", "Otra cosa"),
)

ZONES: tuple[DefaultLabel, ...] = (
    DefaultLabel("north", "North", "Norte"),
    DefaultLabel("south", "South", "Sur"),
    DefaultLabel("east", "East", "Este"),
    DefaultLabel("west", "West", "Oeste"),
    DefaultLabel("downtown", "Downtown", "Centro"),
)
