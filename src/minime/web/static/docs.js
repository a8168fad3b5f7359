// Starts Swagger UI for /docs from the bundled copy (no CDN, no inline script).
"use strict";
window.addEventListener("DOMContentLoaded", () => {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    requestInterceptor: (request) => {
      request.headers["x-minime-request"] = "1";  // the API's CSRF check for cookie requests
      return request;
    },
  });
});
