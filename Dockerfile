# One image for every Campus process. docker-compose.yml picks each service's
# role (write API, read API, relay, projector) through its command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# DejaVu renders certificate names beyond Latin-1 (Yoruba, Polish, …).
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

# Dependencies get a layer of their own, keyed on the lock alone, so a code change rebuilds in
# seconds instead of reinstalling every wheel; hash-checking refuses any byte not locked.
COPY requirements.lock /tmp/requirements.lock
RUN pip install --require-hashes --no-deps -r /tmp/requirements.lock && rm /tmp/requirements.lock

# Install the package itself, then drop the sources: the image runs what pip
# installed, never a stray copy of the tree.
COPY . /src
RUN pip install --no-deps /src && rm -rf /src

# Unprivileged at run time; /app is its writable working directory (the
# embedded default keeps ./var there). The media folder exists in the image so
# that a volume mounted on it starts out owned by campus.
RUN groupadd --system --gid 10001 campus \
 && useradd --system --uid 10001 --gid campus --home-dir /app --shell /usr/sbin/nologin campus \
 && install -d -o campus -g campus /app /app/var /app/var/media
WORKDIR /app
USER 10001:10001

EXPOSE 8000
CMD ["campus", "serve"]
