// tipor: small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Move keyboard focus to an error summary so screen-reader users hear it first.
  const errors = document.getElementById("form-errors");
  if (errors) errors.focus();
  // The language switcher submits on change as well as with its button.
  const select = document.getElementById("lang-select");
  if (select) select.addEventListener("change", () => select.form.submit());
});
