// /docs: Swagger UI from its CDN, started by this file (the CSP allows no inline script).
"use strict";
window.addEventListener("load", () => {
  if (typeof window.SwaggerUIBundle !== "function") {
    document.getElementById("offline").hidden = false;
    return;
  }
  window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
