// Course accessibility fixes for sphinx-book-theme widgets (WCAG 2.5.3 "label in name").
// Controls whose aria-label differs from their visible text confuse speech-input users:
// let the visible text be the accessible name, and hide decorative icon titles.
(function () {
  function fix() {
    // Axe "region": the sidebar's site title sits outside any landmark; make the
    // primary sidebar one (it already holds the navigation landmark).
    var sidebar = document.querySelector(".bd-sidebar-primary");
    if (sidebar && !sidebar.hasAttribute("role")) {
      sidebar.setAttribute("role", "complementary");
      sidebar.setAttribute("aria-label", "Course navigation");
    }
    // The colour-mode button: its icons carry titles ("Light", "Dark", ...) that
    // differ from the button's label; make them decorative and name the button in text.
    document.querySelectorAll(".theme-switch-button").forEach(function (button) {
      button.querySelectorAll(".theme-switch").forEach(function (icon) {
        icon.setAttribute("aria-hidden", "true");
        icon.removeAttribute("title");
        icon.querySelectorAll("title").forEach(function (t) { t.remove(); });
      });
      if (!button.querySelector(".course-sr-label")) {
        var label = document.createElement("span");
        label.className = "course-sr-label visually-hidden";
        label.textContent = button.getAttribute("aria-label") || "Color mode";
        button.appendChild(label);
      }
      button.removeAttribute("aria-label");
    });
    document.querySelectorAll("button[aria-label], a[aria-label], summary[aria-label]").forEach(function (el) {
      var label = el.getAttribute("aria-label").trim().toLowerCase();
      var text = (el.innerText || "").replace(/\s+/g, " ").trim().toLowerCase();
      if (text && label.indexOf(text) === -1) {
        el.removeAttribute("aria-label");
      }
    });
  }
  // Scrollable code blocks must be reachable by keyboard (WCAG 2.1.1). The theme
  // marks them once at load; a block inside a solution or answer that was collapsed
  // then is measured again whenever a dropdown opens.
  function markScrollable() {
    document.querySelectorAll("pre, .cell_output > .output").forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight;
      el.tabIndex = scrolls ? 0 : -1;
    });
  }
  document.addEventListener("click", function () { setTimeout(markScrollable, 350); });
  document.addEventListener("toggle", function () { setTimeout(markScrollable, 50); }, true);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fix);
  } else {
    fix();
  }
  // Font Awesome swaps <i> icons for <svg> after load: fix again then.
  window.addEventListener("load", function () { setTimeout(fix, 0); });
})();
