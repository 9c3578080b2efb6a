// Screening form: show answered counts per stage; a changed observer reloads the wording.
// Everything works without this file.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("screening-form");
  if (form) {
    const update = () => {
      form.querySelectorAll("details.stage").forEach((stage) => {
        const sets = stage.querySelectorAll("fieldset.indicator");
        let answered = 0;
        sets.forEach((fs) => {
          const on = fs.querySelector("input[type=radio]:checked");
          if (on && on.value !== "unknown") answered += 1;
        });
        const count = stage.querySelector(".stage-count");
        if (count) count.textContent = answered + " / " + sets.length;
      });
    };
    form.addEventListener("change", update);
    update();
    const observer = document.getElementById("observer");
    let touched = false;
    form.addEventListener("input", (e) => { if (e.target !== observer) touched = true; });
    if (observer) observer.addEventListener("change", () => {
      if (touched) return;
      const url = new URL(window.location.href);
      url.searchParams.set("observer", observer.value);
      window.location.assign(url.toString());
    });
  }
  const print = document.getElementById("print-button");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", () => window.print());
  }
});
