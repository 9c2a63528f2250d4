// The course website's script (book/_ext/course_site.py), both editions.
//
// Code wider than the screen scrolls sideways; keyboard users scroll it once it can take
// the focus. pydata-sphinx-theme makes such blocks focusable when the page loads, when the
// window is resized and when nodes are added, but not when a reader opens a solution or a
// folded cell, whose blocks had no width until then. This does it for what was opened.
(() => {
  const SCROLLABLE = "pre, .cell_output > .output";

  function addTabStops(root) {
    requestAnimationFrame(() => {
      root.querySelectorAll(SCROLLABLE).forEach((element) => {
        if (
          element.scrollWidth > element.clientWidth ||
          element.scrollHeight > element.clientHeight
        ) {
          element.tabIndex = 0;
        }
      });
    });
  }

  // <details> (folded cells): "toggle" does not bubble, so listen while it is captured.
  document.addEventListener(
    "toggle",
    (event) => {
      if (event.target.open) addTabStops(event.target);
    },
    true,
  );
  // sphinx-togglebutton's solutions: the button shows or hides its admonition.
  document.addEventListener("click", (event) => {
    const admonition = event.target.closest?.(".admonition.toggle");
    if (admonition) addTabStops(admonition);
  });
})();
