"""Settings: where the registry keeps its events, on SQLite or PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from registry.errors import RegistryError

TIMEZONE = "Europe/Paris"


class Settings(BaseSettings):
    """Read from SSA_REGISTRY_* environment variables, or given directly."""

    model_config = SettingsConfigDict(env_prefix="SSA_REGISTRY_", extra="ignore")

    data: Path = Field(default=Path("instance"), description="Dossier des données")
    database_url: str | None = Field(
        default=None, description="postgresql://utilisateur@hôte:port/base?schema=nom"
    )
    page_cache: int = Field(
        default=512,
        ge=0,
        description="Pages publiques gardées tant que le registre ne change pas (0 : aucune)",
    )

    @property
    def events_path(self) -> Path:
        """The SQLite event store file."""
        return self.data / "events.sqlite3"

    @property
    def location(self) -> str:
        """Where events live, for messages (no password)."""
        if self.database_url:
            url = urlparse(self.database_url)
            return f"postgresql://{url.hostname}:{url.port or 5432}{url.path}"
        return str(self.events_path)

    def event_store_env(self) -> dict[str, str]:
        """The eventsourcing environment for this store."""
        if self.database_url:
            return postgres_env(self.database_url)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(self.events_path),
            "SQLITE_LOCK_TIMEOUT": "10",
        }


def postgres_env(database_url: str) -> dict[str, str]:
    """Translate a postgresql:// URL into eventsourcing.postgres settings."""
    url = urlparse(database_url)
    if url.scheme not in ("postgresql", "postgres"):
        raise RegistryError(
            "invalid_database_url", details=f"schéma « {url.scheme} », attendu postgresql://"
        )
    dbname = url.path.lstrip("/")
    if not dbname:
        raise RegistryError("invalid_database_url", details="nom de base manquant")
    query = parse_qs(url.query)
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": url.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_USER": unquote(url.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(url.password or ""),
        "POSTGRES_CONNECT_TIMEOUT": "10",
    }
    if "schema" in query:
        env["POSTGRES_SCHEMA"] = query["schema"][0]
    return env
