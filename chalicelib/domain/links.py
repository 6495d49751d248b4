"""Every URL the API hands out, built in one place.

Links are paths under the public base URL (GK_PUBLIC_BASE_URL, empty by default:
root-relative paths). vCard SOURCE URLs use the same templates under the absolute
base a request was reached at.
"""

from __future__ import annotations

from .entries import Json

# The templates GET / advertises; the methods below fill the same paths.
TEMPLATES = {
    "municipalities": "/municipalities",
    "municipality": "/municipalities/{id}",
    "peers": "/municipalities/{id}/peers",
    "office": "/offices/{id}",
    "contact": "/contacts/{id}",
    "health": "/health",
    "vcards": "/vcards",
    "contact_vcard": "/contacts/{id}/vcard",
    "contact_qr": "/contacts/{id}/qr.svg",
    "office_vcard": "/offices/{id}/vcard",
    "municipality_vcard": "/municipalities/{id}/vcard",
    "widget": "/widget.js",
    "demo": "/demo",
    "openapi": "/openapi.json",
}


def municipality_path(municipality_id: str) -> str:
    return f"/municipalities/{municipality_id}"


def office_path(office_id: str) -> str:
    return f"/offices/{office_id}"


def contact_path(contact_id: str) -> str:
    return f"/contacts/{contact_id}"


def vcard_path(kind: str, entity_id: str) -> str:
    """The card route of a contact or an office."""
    return (contact_path if kind == "contact" else office_path)(entity_id) + "/vcard"


class Links:
    """Builds the link paths every representation carries, under one base."""

    def __init__(self, base: str) -> None:
        self.base = base

    def index(self) -> dict[str, str]:
        return {name: self.base + template for name, template in TEMPLATES.items()}

    def search(self) -> str:
        return self.base + TEMPLATES["municipalities"]

    def municipality(self, municipality_id: str, *, has_cards: bool = True) -> Json:
        path = self.base + municipality_path(municipality_id)
        links = {"self": path, "peers": f"{path}/peers"}
        if has_cards:  # no link to a download that would hold no card
            links["vcard"] = f"{path}/vcard"
        return links

    def peers(self, municipality_id: str) -> str:
        return self.base + municipality_path(municipality_id) + "/peers"

    def office(self, office_id: str, municipality_id: str) -> Json:
        path = self.base + office_path(office_id)
        return {
            "self": path,
            "vcard": f"{path}/vcard",
            "municipality": self.base + municipality_path(municipality_id),
        }

    def contact(self, contact_id: str, office_id: str, municipality_id: str) -> Json:
        path = self.base + contact_path(contact_id)
        return {
            "self": path,
            "vcard": f"{path}/vcard",
            "qr": f"{path}/qr.svg",
            "office": self.base + office_path(office_id),
            "municipality": self.base + municipality_path(municipality_id),
        }
