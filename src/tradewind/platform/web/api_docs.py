"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) from the vendored copies under ``/static``.

FastAPI's own pages load both from a CDN and start Swagger UI with an inline script, so they
are blank on a machine without internet and need a CSP exception. These pages load only
``/static/vendor/swagger-ui`` and ``/static/vendor/redoc`` (see ``static/vendor/VENDORED.md``);
Swagger UI is started by ``/static/js/swagger-init.js``, which reads the OpenAPI URL from a
``data-`` attribute. No inline script, nothing from another origin.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

SWAGGER = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} - Swagger UI</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui" data-openapi-url="{openapi_url}"></div>
  <script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
  <script src="/static/js/swagger-init.js"></script>
</body>
</html>
"""

REDOC = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} - ReDoc</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="/static/css/redoc-page.css">
</head>
<body>
  <redoc spec-url="{openapi_url}" disable-search="true" hide-download-button="false"></redoc>
  <script src="/static/vendor/redoc/redoc.standalone.js"></script>
</body>
</html>
"""


def _page(request: Request, template: str) -> HTMLResponse:
    app = request.app
    return HTMLResponse(
        template.format(title=escape(app.title), openapi_url=escape(app.openapi_url or ""))
    )


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    return _page(request, SWAGGER)


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    return _page(request, REDOC)


def install(app: FastAPI) -> None:
    """Serve both pages (create the app with ``docs_url=None, redoc_url=None``)."""
    app.include_router(router)
