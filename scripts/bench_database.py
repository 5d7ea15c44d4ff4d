"""Create the PostgreSQL database that DATABASE_URL names, if it does not exist yet (`make bench`).

Connects to the server's `postgres` database with the same user, host and port.
"""

from __future__ import annotations

import os
import sys

import environ
import psycopg2
from psycopg2 import sql


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    config = environ.Env.db_url_config(url)
    if not config["ENGINE"].endswith("postgresql"):
        print(f"The benchmarks need PostgreSQL: DATABASE_URL={url!r}")
        return 1
    server = {
        "dbname": "postgres",
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
    }
    connection = psycopg2.connect(**{key: value for key, value in server.items() if value})
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"Created the database {config['NAME']}")
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
