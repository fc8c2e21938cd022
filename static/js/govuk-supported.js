// Runs first in <body>: tells GOV.UK Frontend's CSS that JavaScript modules are available.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
