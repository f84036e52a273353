// RD Licensing Manager: progressive enhancement only; every page works without this script.
// Install wizard: check the license code against its program's format as it is typed (the server checks again).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var code = document.getElementById("code");
    var live = document.getElementById("code-live");
    if (!code || !live || !code.dataset.pattern) {
      return;
    }

    var pattern;
    try {
      pattern = new RegExp("^(?:" + code.dataset.pattern + ")$", "v");
    } catch (e) {
      return;
    }

    function check() {
      var text = code.value.trim();
      if (text === "") {
        live.textContent = "";
        live.className = "live";
        code.classList.remove("valid");
        return;
      }

      if (pattern.test(text)) {
        live.textContent = "✓ the format is right";
        live.className = "live ok";
        code.classList.add("valid");
        if (!document.getElementById("code-error")) {
          code.removeAttribute("aria-invalid");
        }
      } else {
        live.textContent = "not yet a valid code: " + code.dataset.format;
        live.className = "live bad";
        code.classList.remove("valid");
        code.setAttribute("aria-invalid", "true");
      }
    }

    code.addEventListener("input", check);
    if (code.value) {
      check();
    }

    // Focus the first field with an error, so keyboard and screen-reader users land on it.
    var invalid = document.querySelector("[aria-invalid='true']");
    if (invalid) {
      invalid.focus();
    }
  });
})();
