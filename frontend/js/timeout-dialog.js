// The time-out warning: two minutes before the session ends, a modal dialog says so and offers
// "Stay signed in" (a post to the server, which restarts the idle time) or "Sign out". Escape
// also stays signed in. The countdown is shown every second, and told to screen readers in
// steps, so that they are not interrupted every second. When the time is up the dialog says the
// session has ended: a long form sent after that keeps its text as a draft on the server.
//
// Progressive enhancement: the dialog is a <dialog> element that is never opened without this
// script, and pages work as they did.

const dialog = document.getElementById("om-timeout");

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function spoken(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return plural(minutes, "minute");
  }
  return plural(Math.max(seconds, 0), "second");
}

function shown(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes && rest) return `${plural(minutes, "minute")} ${plural(rest, "second")}`;
  if (minutes) return plural(minutes, "minute");
  return plural(Math.max(rest, 0), "second");
}

function start(box) {
  const warnSeconds = Number(box.dataset.warnSeconds);
  const countdown = box.querySelector("[data-countdown]");
  const live = box.querySelector("[data-live]");
  const heading = box.querySelector("[data-heading]");
  const csrf = box.querySelector("input[name=csrfmiddlewaretoken]");
  let endsAt = Date.now() + Number(box.dataset.secondsLeft) * 1000;
  let returnFocus = null;
  let lastSpoken = "";
  let ended = false;

  function secondsLeft() {
    return Math.ceil((endsAt - Date.now()) / 1000);
  }

  function open() {
    if (box.open) return;
    returnFocus = document.activeElement;
    box.showModal();
    heading.focus();
  }

  function close() {
    if (box.open) box.close();
    lastSpoken = "";
    if (returnFocus && typeof returnFocus.focus === "function") returnFocus.focus();
  }

  function showEnded() {
    ended = true;
    heading.textContent = "You have been signed out";
    box.querySelector("[data-warning]").hidden = true;
    box.querySelector("[data-choices]").hidden = true;
    for (const part of box.querySelectorAll("[data-ended]")) part.hidden = false;
    box.querySelector("[data-sign-in]").href = box.dataset.signInUrl;
    open();
    heading.focus();
  }

  function tick() {
    if (ended) return;
    const left = secondsLeft();
    if (left <= 0) {
      showEnded();
      return;
    }
    if (left > warnSeconds) return;
    open();
    countdown.textContent = shown(left);
    // Screen readers hear the time at the start, each minute, and every 15 seconds of the last.
    const words = spoken(left);
    const step = left <= 60 ? left % 15 === 0 || left === 60 : words !== lastSpoken;
    if (!lastSpoken || (step && words !== lastSpoken)) {
      live.textContent = `For your security, you will be signed out in ${words}.`;
      lastSpoken = words;
    }
  }

  async function stay() {
    try {
      const response = await fetch(box.dataset.keepAliveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf ? csrf.value : "", Accept: "application/json" },
      });
      const data = await response.json();
      if (!response.ok || !data.signed_in) {
        showEnded();
        return;
      }
      endsAt = Date.now() + data.seconds_left * 1000;
      close();
    } catch (error) {
      // The server could not be reached: say nothing has changed rather than pretend.
      live.textContent = "You could not be kept signed in. Check your connection and try again.";
    }
  }

  box.querySelector("[data-stay]").addEventListener("click", stay);
  box.querySelector("[data-close]").addEventListener("click", close);
  // Escape means "stay signed in", as in the pattern this follows.
  box.addEventListener("cancel", (event) => {
    event.preventDefault();
    if (ended) close();
    else stay();
  });
  tick();
  window.setInterval(tick, 1000);
}

if (dialog && typeof dialog.showModal === "function") start(dialog);
