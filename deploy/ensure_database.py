"""Create the PostgreSQL database named in DATABASE_URL when it does not exist yet (for
`make prod`, `make loadtest` and CI on a machine where PostgreSQL already runs); with
``--fresh`` drop it first (the load test's own database).
A SQLite URL needs nothing: Django creates the file."""

import os
import sys

import dj_database_url


def main(url: str, fresh: bool = False) -> None:
    cfg = dj_database_url.parse(url)
    if "postgresql" not in cfg["ENGINE"]:
        return
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=cfg["HOST"] or "localhost",
        port=cfg["PORT"] or 5432,
        user=cfg["USER"] or None,
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        if fresh:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(cfg["NAME"])
                )
            )
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
        if not exists.fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cfg["NAME"])))
            print(f"created database {cfg['NAME']}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--fresh"]
    main(args[0] if args else os.environ["DATABASE_URL"], fresh="--fresh" in sys.argv)
