# cleaner HTTP service: gunicorn serving cleaner.wsgi:app with gunicorn.conf.py on port 8000.
#   docker build -t cleaner . && docker run --rm -p 8000:8000 cleaner

# Build stage: the wheel with the compiled core (Cython and the full image's C compiler); only the
# wheel goes on to the runtime image, which has no compiler.
FROM python:3.11.14-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1
COPY requirements-build.txt /src/requirements-build.txt
RUN pip install --no-cache-dir -r /src/requirements-build.txt
COPY pyproject.toml setup.py README.md /src/
COPY cleaner/ /src/cleaner/
COPY rules/ /src/rules/
RUN pip wheel --no-cache-dir --no-deps --no-build-isolation -w /wheels /src \
    && python -c "import sys, zipfile, glob; names = zipfile.ZipFile(glob.glob('/wheels/cleaner-*.whl')[0]).namelist(); sys.exit(0 if any(n.endswith('.so') for n in names) else 'the wheel has no compiled core')"

FROM python:3.11.14-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HOST=0.0.0.0 \
    PORT=8000

# Every dependency pinned by the lock file (runtime plus the dask extra, so the image can also
# serve as a Dask worker), first, so code changes do not reinstall them; two builds get the
# same packages.
COPY requirements.lock /src/requirements.lock
RUN pip install --no-cache-dir -r /src/requirements.lock

# The package itself (the compiled core, its rules and openapi.json), from the build stage's wheel,
# checked to load compiled.
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-deps /wheels/cleaner-*.whl \
    && rm -rf /wheels /src \
    && python -c "import sys, cleaner; sys.exit(0 if cleaner.build()['kind'] == 'compiled' else 'not compiled')" \
    && groupadd --system --gid 10001 cleaner \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --shell /usr/sbin/nologin cleaner

WORKDIR /app
COPY gunicorn.conf.py /app/gunicorn.conf.py

USER 10001:10001
EXPOSE 8000

# Slim images have no curl: the check is a few lines of Python against /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]

# The same command as the README: gunicorn reads everything else from gunicorn.conf.py.
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
