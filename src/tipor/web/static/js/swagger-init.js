// Starts Swagger UI on /api/docs. A file rather than an inline script, so the
// Content-Security-Policy needs no 'unsafe-inline'.
document.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle === "undefined") return;
  SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    // "Try it out" runs with the browser session, whose state-changing calls need the token
    requestInterceptor: (request) => {
      request.headers["X-CSRF-Token"] = root.dataset.csrfToken;
      return request;
    },
  });
});
