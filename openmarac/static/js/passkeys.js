// Passkeys (WebAuthn): shown only where the browser supports them. Every page that offers a
// passkey also works without JavaScript, with an authenticator-app code.
function csrfToken() {
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify(body || {}),
  });
  const data = await response.json();
  if (!response.ok) {
    if (data.redirect) window.location.assign(data.redirect);
    throw new Error(data.error || "refused");
  }
  return data;
}

async function ceremony(box) {
  const kind = box.dataset.passkey;
  const options = await post(box.dataset.optionsUrl);
  let credential;
  if (kind === "register") {
    const publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(options.publicKey);
    credential = await navigator.credentials.create({ publicKey });
  } else {
    const publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(options.publicKey);
    credential = await navigator.credentials.get({ publicKey });
  }
  const answer = credential.toJSON();
  if (box.dataset.next) answer.next = box.dataset.next;
  const result = await post(box.dataset.completeUrl, answer);
  window.location.assign(result.redirect);
}

if (window.PublicKeyCredential && PublicKeyCredential.parseRequestOptionsFromJSON) {
  for (const box of document.querySelectorAll("[data-passkey]")) {
    box.hidden = false;
    const error = box.querySelector("[data-passkey-error]");
    box.querySelector("[data-passkey-start]").addEventListener("click", () => {
      error.hidden = true;
      ceremony(box).catch(() => {
        error.hidden = false;
      });
    });
  }
}
