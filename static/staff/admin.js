"use strict";
// Django's date and time fields point their aria-describedby at a time-zone warning
// that DateTimeShortcuts.js draws only when the browser's time zone differs from the
// server's, and a group of inputs with help text at "_helptext": a description that
// names nothing. Once the admin's own scripts have run (they start on "load"), each
// reference to an element that is not on the page is dropped.
window.addEventListener("load", () => {
    for (const described of document.querySelectorAll("[aria-describedby]")) {
        const present = described.getAttribute("aria-describedby").split(/\s+/)
            .filter((id) => id && document.getElementById(id));
        if (present.length) {
            described.setAttribute("aria-describedby", present.join(" "));
        } else {
            described.removeAttribute("aria-describedby");
        }
    }
});
