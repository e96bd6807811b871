// The learner page: the integration guide of the original platform, runnable. Every call is the REST contract's, with
// the bearer token from sign-in (docs/learn.md maps each step to the guide).
'use strict';

(() => {
  const TOKENS_KEY = 'learn.tokens';
  const DEVICE_KEY = 'learn.device_id';

  // Why a heartbeat answered 410, in the learner's words.
  const STOP_REASONS = {
    taken_over: 'Playback moved to another of your devices, which took over.',
    replaced: 'This device started another playback, which replaced this one.',
    expired: 'This playback reached its time limit. Press Play to continue.',
    stale: 'The server heard nothing from this player for too long. Press Play to continue.',
    ended: 'This playback was ended (by an administrator, or because you were signed out).',
    device_transferred: 'Your account was moved to another device.',
    device_revoked: 'This device was deactivated or removed from your account.',
    access_ended: 'Your access to this lesson ended.',
    session_not_found: 'The server does not know this playback any more.',
  };

  const $ = (id) => document.getElementById(id);
  const ui = {
    account: $('account'),
    accountEmail: $('account-email'),
    signout: $('signout'),
    signin: $('signin'),
    signinForm: $('signin-form'),
    signinEmail: $('signin-email'),
    signinPassword: $('signin-password'),
    signinSubmit: $('signin-submit'),
    signinError: $('signin-error'),
    app: $('app'),
    deviceStatus: $('device-status'),
    deviceMessage: $('device-message'),
    deviceRetry: $('device-retry'),
    courseList: $('course-list'),
    courseTitle: $('course-title'),
    courseDescription: $('course-description'),
    lessons: $('lessons'),
    playerTitle: $('player-title'),
    video: $('player-video'),
    status: $('player-status'),
    message: $('player-message'),
    takeover: $('takeover'),
    stop: $('stop'),
    transferDialog: $('transfer-dialog'),
    transferActiveDevice: $('transfer-active-device'),
    transferConfirm: $('transfer-confirm'),
    transferCancel: $('transfer-cancel'),
  };

  let tokens = readTokens();
  let refreshing = null;
  // The playback in progress: {token, lessonId, lengthSeconds, timer}.
  let playback = null;
  let openCourseId = null;

  // ------------------------------------------------------------------ device identity (guide step 1)

  // Stable per browser profile, like the guide's AsyncStorage id. getRandomValues works outside secure contexts too.
  function deviceId() {
    let id = localStorage.getItem(DEVICE_KEY);
    if (!id) {
      const bytes = crypto.getRandomValues(new Uint8Array(12));
      id = 'web-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
      localStorage.setItem(DEVICE_KEY, id);
    }
    return id;
  }

  function deviceName() {
    const ua = navigator.userAgent;
    const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox'
      : /Chrom(e|ium)\//.test(ua) ? 'Chromium' : /Safari\//.test(ua) ? 'Safari' : 'Browser';
    const system = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows'
      : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : 'web';
    return `${browser} on ${system}`;
  }

  // ------------------------------------------------------------------ tokens and API calls

  function readTokens() {
    try {
      return JSON.parse(sessionStorage.getItem(TOKENS_KEY));
    } catch {
      return null;
    }
  }

  function saveTokens(pair, email) {
    tokens = { access: pair.access, refresh: pair.refresh, email };
    sessionStorage.setItem(TOKENS_KEY, JSON.stringify(tokens));
  }

  function forgetTokens() {
    tokens = null;
    sessionStorage.removeItem(TOKENS_KEY);
  }

  // One refresh at a time: parallel 401s share it (a second refresh with the rotated token would look like reuse).
  function refreshTokens() {
    if (!refreshing) {
      const current = tokens;
      refreshing = (async () => {
        if (!current) {
          return false;
        }
        const answer = await call('/api/auth/refresh/', { method: 'POST', body: { refresh: current.refresh }, auth: false });
        if (answer.status !== 200) {
          return false;
        }
        saveTokens(answer.data, current.email);
        return true;
      })().finally(() => { refreshing = null; });
    }
    return refreshing;
  }

  async function call(path, { method = 'GET', body, auth = true, keepalive = false } = {}) {
    const headers = {};
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    if (auth && tokens) {
      headers.Authorization = `Bearer ${tokens.access}`;
    }
    const response = await fetch(path, {
      method, headers, keepalive, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let data = null;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = null;
      }
    }
    return { status: response.status, data };
  }

  // An authenticated call; an expired access token is refreshed once with the refresh token and the call repeated.
  async function api(path, options = {}) {
    let answer = await call(path, options);
    if (answer.status === 401 && tokens && answer.data?.error !== 'token_revoked' && await refreshTokens()) {
      answer = await call(path, options);
    }
    if (answer.status === 401) {
      signedOut(answer.data?.error === 'token_revoked'
        ? 'You were signed out (from every device). Sign in again.'
        : 'Your sign-in expired. Sign in again.');
    }
    return answer;
  }

  const problemText = (answer) => answer.data?.message || answer.data?.detail || `The server answered ${answer.status}.`;

  // ------------------------------------------------------------------ sign-in

  async function signIn(event) {
    event.preventDefault();
    ui.signinError.textContent = '';
    ui.signinSubmit.disabled = true;
    try {
      const email = ui.signinEmail.value.trim();
      const answer = await call('/api/auth/login/', {
        method: 'POST', auth: false, body: { email, password: ui.signinPassword.value },
      });
      if (answer.status !== 200) {
        ui.signinError.textContent = problemText(answer);
        return;
      }
      saveTokens(answer.data, email);
      ui.signinPassword.value = '';
      await enter();
    } catch (error) {
      ui.signinError.textContent = `Could not reach the server (${error.message}).`;
    } finally {
      ui.signinSubmit.disabled = false;
    }
  }

  async function signOut() {
    await endPlayback('ended', 'signed_out', 'Signed out.');
    if (tokens) {
      await call('/api/auth/logout/', { method: 'POST', body: { refresh: tokens.refresh } });
    }
    signedOut('');
  }

  function signedOut(message) {
    if (playback) {
      stopPlayback('stopped', 'signed_out', message);
    } else {
      setStatus('idle', '', 'Choose a lesson and press Play.');
    }
    forgetTokens();
    ui.app.hidden = true;
    ui.account.hidden = true;
    ui.signin.hidden = false;
    ui.signinError.textContent = message;
  }

  async function enter() {
    ui.signin.hidden = true;
    ui.app.hidden = false;
    ui.account.hidden = false;
    ui.accountEmail.textContent = tokens.email || '';
    await registerDevice();
    await loadCatalog();
  }

  // ------------------------------------------------------------------ device registration and transfer (guide step 2)

  function showDevice(active, message) {
    ui.deviceStatus.dataset.active = String(active);
    ui.deviceMessage.textContent = message;
    ui.deviceRetry.hidden = active;
  }

  async function registerDevice() {
    const answer = await api('/api/devices/register/', {
      method: 'POST', body: { device_id: deviceId(), device_name: deviceName(), platform: 'web' },
    });
    if (answer.status === 200 || answer.status === 201) {
      showDevice(true, `This browser (${answer.data.device.device_name}) is an active device of your account.`);
    } else if (answer.status === 409) {
      const active = answer.data.active_device || {};
      showDevice(false, 'This browser is not an active device of your account: lessons will not play here.');
      ui.transferActiveDevice.textContent = active.device_name
        ? `${active.device_name} (${active.platform})` : 'another device';
      ui.transferDialog.showModal();
    } else if (answer.status === 202) {
      showDevice(false, 'This account confirms new devices by a mailed code, which this page does not support yet.');
    } else if (answer.status !== 401) {
      showDevice(false, `This browser could not be registered: ${problemText(answer)}`);
    }
  }

  async function transferHere() {
    ui.transferDialog.close();
    const answer = await api('/api/devices/transfer/', {
      method: 'POST', body: { new_device_id: deviceId(), new_device_name: deviceName(), platform: 'web' },
    });
    if (answer.status === 200) {
      showDevice(true, `This browser (${answer.data.device.device_name}) is now your active device.`);
    } else if (answer.status !== 401) {
      showDevice(false, `The transfer failed: ${problemText(answer)}`);
    }
  }

  // ------------------------------------------------------------------ catalog with progress

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function meter(percent) {
    const outer = element('span', 'meter');
    const inner = element('span');
    inner.style.width = `${Math.max(0, Math.min(100, percent))}%`;
    outer.append(inner);
    return outer;
  }

  async function loadCatalog() {
    const [courses, progress] = await Promise.all([api('/api/courses/'), api('/api/progress/courses/')]);
    if (courses.status !== 200) {
      return;
    }
    const byCourse = new Map((progress.status === 200 ? progress.data : []).map((p) => [p.course_id, p]));
    ui.courseList.replaceChildren(...courses.data.map((course) => {
      const done = byCourse.get(course.id);
      const button = element('button', 'open-course');
      button.type = 'button';
      button.dataset.courseId = course.id;
      button.append(element('strong', '', course.title));
      button.append(element('span', 'course-meta',
        `${course.lesson_count} lessons · ${done ? `${done.completed_lessons} completed (${Math.round(done.percent)} %)` : 'not started'}`));
      button.append(meter(done ? done.percent : 0));
      button.addEventListener('click', () => openCourse(course.id));
      const item = element('li');
      item.append(button);
      return item;
    }));
    const first = openCourseId || courses.data[0]?.id;
    if (first) {
      await openCourse(first);
    }
  }

  const minutes = (seconds) => `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

  async function openCourse(courseId) {
    const answer = await api(`/api/courses/${encodeURIComponent(courseId)}/`);
    if (answer.status !== 200) {
      return;
    }
    openCourseId = courseId;
    for (const button of ui.courseList.querySelectorAll('button.open-course')) {
      button.setAttribute('aria-current', String(button.dataset.courseId === courseId));
    }
    const course = answer.data;
    ui.courseTitle.textContent = course.title;
    ui.courseDescription.textContent = course.description;
    ui.lessons.replaceChildren(...course.lessons.map((lesson) => {
      const item = element('li');
      item.dataset.lessonId = lesson.id;
      const text = element('div');
      const title = element('span', 'lesson-title', `${lesson.order}. ${lesson.title}`);
      if (lesson.free_preview) {
        title.append(element('span', 'badge', 'free preview'));
      }
      text.append(title);
      const progress = lesson.progress;
      const state = element('span', 'lesson-meta lesson-progress',
        `${lesson.duration_minutes} min · ${progress?.completed ? 'completed'
          : progress?.position_seconds ? `resume at ${minutes(progress.position_seconds)}` : 'not started'}`);
      state.dataset.completed = String(Boolean(progress?.completed));
      text.append(state);
      const play = element('button', 'play', 'Play');
      play.type = 'button';
      play.dataset.lessonId = lesson.id;
      play.disabled = !lesson.has_media;
      play.title = lesson.has_media ? `Play ${lesson.title}` : 'This lesson has no video yet';
      play.addEventListener('click', () => startLesson(lesson.id, false));
      item.append(text, play);
      return item;
    }));
  }

  // ------------------------------------------------------------------ playback (guide steps 3 to 5)

  function setStatus(state, reason, message) {
    ui.status.dataset.state = state;
    ui.status.dataset.reason = reason || '';
    ui.message.textContent = message;
    ui.takeover.hidden = state !== 'conflict';
    ui.stop.hidden = state !== 'playing';
  }

  // The position the server is told: whole seconds, as in the guide, never past the lesson's length (a placeholder
  // video may be longer than the lesson it stands in for).
  function position() {
    const seconds = Math.floor(ui.video.currentTime || 0);
    return playback ? Math.min(seconds, playback.lengthSeconds) : seconds;
  }

  // Stops the player and the heartbeats without telling the server (which already ended the session, or is told
  // separately).
  function stopPlayback(state, reason, message) {
    if (playback) {
      clearInterval(playback.timer);
      playback = null;
    }
    ui.video.pause();
    ui.video.removeAttribute('src');
    ui.video.load();
    setStatus(state, reason, message);
  }

  async function startLesson(lessonId, takeover) {
    if (playback) {
      await endPlayback('ended', 'switched', 'Switching lessons…');
    }
    setStatus('idle', '', 'Starting…');
    const body = { lesson_id: lessonId, device_id: deviceId() };
    if (takeover) {
      body.takeover = true;
    }
    const answer = await api('/api/video/start/', { method: 'POST', body });
    if (answer.status === 409) {
      ui.takeover.dataset.lessonId = lessonId;
      setStatus('conflict', 'session_exists',
        `Your account is playing on ${answer.data.active_device || 'another device'}. Play here instead to stop it there.`);
      return;
    }
    if (answer.status !== 201) {
      setStatus('stopped', answer.data?.error || String(answer.status), problemText(answer));
      if (answer.data?.error === 'device_not_active') {
        await registerDevice();
      }
      return;
    }
    const started = answer.data;
    playback = {
      token: started.session_token,
      lessonId,
      lengthSeconds: started.lesson.duration_minutes * 60,
      timer: setInterval(heartbeat, started.heartbeat_interval_seconds * 1000),
    };
    ui.playerTitle.textContent = started.lesson.title;
    ui.video.src = started.video_url;
    if (started.resume_at > 0) {
      ui.video.addEventListener('loadedmetadata', () => {
        if (started.resume_at < ui.video.duration - 1) {
          ui.video.currentTime = started.resume_at;
        }
      }, { once: true });
    }
    setStatus('playing', '', `Playing ${started.lesson.title}.`);
    try {
      await ui.video.play();
    } catch (error) {
      // Still a live session: the learner can press the player's own play button.
      ui.message.textContent = `Press play to start (${error.message}).`;
    }
  }

  async function heartbeat() {
    const current = playback;
    if (!current) {
      return;
    }
    let answer;
    try {
      answer = await api('/api/video/heartbeat/', {
        method: 'POST', body: { session_token: current.token, current_time: position() },
      });
    } catch {
      // Offline for a moment: the next beat tries again; the server's timeout decides when that is too long.
      return;
    }
    if (playback !== current) {
      return;
    }
    if (answer.status === 410 || answer.status === 404) {
      const reason = answer.data?.reason || answer.data?.error || 'session_not_found';
      stopPlayback('stopped', reason, STOP_REASONS[reason] || problemText(answer));
    }
  }

  // Tells the server this playback is over (guide step 5) and stops the player.
  async function endPlayback(state, reason, message) {
    const current = playback;
    if (!current) {
      return;
    }
    const finalTime = position();
    stopPlayback(state, reason, message);
    const answer = await api('/api/video/end/', { method: 'POST', body: { session_token: current.token, final_time: finalTime } });
    if (answer.status === 200 && state === 'ended') {
      ui.message.textContent = `${message} ${answer.data.watch_time_seconds} s of watching counted.`;
    }
  }

  // Leaving the page: sendBeacon cannot carry the bearer header, a keepalive fetch can, and outlives the page.
  function endOnLeave() {
    if (!playback || !tokens) {
      return;
    }
    const body = JSON.stringify({ session_token: playback.token, final_time: position() });
    clearInterval(playback.timer);
    playback = null;
    fetch('/api/video/end/', {
      method: 'POST',
      keepalive: true,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens.access}` },
      body,
    }).catch(() => {});
  }

  // ------------------------------------------------------------------ wiring

  ui.signinForm.addEventListener('submit', signIn);
  ui.signout.addEventListener('click', signOut);
  ui.deviceRetry.addEventListener('click', () => registerDevice());
  ui.transferConfirm.addEventListener('click', transferHere);
  ui.transferCancel.addEventListener('click', () => ui.transferDialog.close());
  ui.takeover.addEventListener('click', () => startLesson(ui.takeover.dataset.lessonId, true));
  ui.stop.addEventListener('click', () => endPlayback('ended', 'stopped_by_user', 'Stopped.'));
  ui.video.addEventListener('ended', async () => {
    await endPlayback('ended', 'video_ended', 'Finished.');
    if (openCourseId) {
      await loadCatalog();
    }
  });
  window.addEventListener('pagehide', endOnLeave);
  // Back from the back-forward cache: the playback was ended when the page was left.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted && ui.status.dataset.state === 'playing') {
      stopPlayback('ended', 'left_page', 'Playback ended when you left the page.');
    }
  });

  if (tokens) {
    enter();
  } else {
    ui.signin.hidden = false;
  }
})();
