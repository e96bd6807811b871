// Uploads a lesson's video with a progress bar: the file itself is the request body (the server streams it to disk),
// the antiforgery token rides in a header. Without this script the form posts as plain multipart and still works.
'use strict';

(function () {
  const form = document.getElementById('upload-form');
  if (!form || !window.XMLHttpRequest) {
    return;
  }

  const input = form.querySelector('input[type="file"]');
  const button = form.querySelector('button[type="submit"]');
  const progress = document.getElementById('upload-progress');
  const status = document.getElementById('upload-status');
  const media = document.getElementById('lesson-media');

  function finish(state, message) {
    form.dataset.state = state;
    status.textContent = message;
    button.disabled = false;
  }

  form.addEventListener('submit', function (event) {
    const file = input.files[0];
    if (!file) {
      return;
    }

    event.preventDefault();
    const token = form.querySelector('input[name="__RequestVerificationToken"]');
    const request = new XMLHttpRequest();
    request.open('POST', form.action);
    // An unknown type is sent as such and refused by the server with its own message (415).
    request.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    request.setRequestHeader('Accept', 'application/json');
    if (token) {
      request.setRequestHeader(form.dataset.tokenHeader || 'RequestVerificationToken', token.value);
    }

    request.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) {
        progress.max = e.total;
        progress.value = e.loaded;
      }
    });
    request.addEventListener('load', function () {
      let answer = null;
      try {
        answer = JSON.parse(request.responseText);
      } catch (ignored) {
        // Not ours (a proxy's page, a refused token): the status says enough.
      }

      const message = answer && answer.message ? answer.message : 'Upload failed (HTTP ' + request.status + ').';
      if (request.status >= 200 && request.status < 300) {
        progress.value = progress.max;
        media.textContent = message;
        finish('done', message);
      } else {
        finish('failed', message);
      }
    });
    request.addEventListener('error', function () {
      finish('failed', 'Upload failed: the connection was lost.');
    });

    form.dataset.state = 'uploading';
    status.textContent = 'Uploading ' + file.name + '…';
    progress.max = file.size || 1;
    progress.value = 0;
    progress.hidden = false;
    button.disabled = true;
    request.send(file);
  });
})();
