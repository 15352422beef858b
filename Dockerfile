# A container image of faqbot: docker build -t faqbot . (compose.yaml runs it).
FROM python:3.12-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
RUN pip install --no-cache-dir '.[telegram,discord]'
# The pack is read from here, so a mounted copy can be edited and reloaded with SIGHUP.
COPY knowledge /srv/knowledge
ENV FAQBOT_KNOWLEDGE=/srv/knowledge/pti-exodus \
    FAQBOT_DB=/data/faqbot.sqlite3 \
    PYTHONUNBUFFERED=1
RUN useradd --system --home-dir /data --create-home faqbot && chmod 700 /data
USER faqbot
VOLUME /data
# Logs go to stderr, that is the container's log (docker logs / docker compose logs).
ENTRYPOINT ["faqbot"]
CMD ["run"]
