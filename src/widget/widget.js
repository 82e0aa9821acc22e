/* crisis-route zip widget. Embed: <div id="find-help">FALLBACK</div>
   <script src="https://ROUTER/widget.js" data-target="#find-help" async></script>
   The fallback (e.g. the national line) stays until the service answers, then the widget takes its place.
   Optional: data-lang="es". Plain browser JavaScript on purpose: no framework, no build step. */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script) return;
  // Filled in by the service when it serves this file, so the national line shows even if a lookup fails.
  var national = /*NATIONAL*/null;
  var api = new URL(script.src, location.href).origin;
  var lang = /^es/i.test(script.getAttribute('data-lang') || '') ? 'es' : 'en';
  var T = {
    en: {
      label: 'Find a crisis center near you. Enter your ZIP code:',
      find: 'Find help',
      nationalLine: 'National hotline, open 24/7:',
      nationalOnly: 'Please call the national hotline.',
      local: 'Your local center',
      call: 'Call',
      hours: 'Hours:',
      time: 'time',
      open: 'Open now',
      closed: 'Closed now',
      bad: 'Please enter a 5-digit ZIP code, for example 10001.',
      none: 'We could not find a local center for that ZIP code. Please call the national hotline.',
      fail: 'We could not look up centers right now. Please call the national hotline.',
      busy: 'Looking up centers…'
    },
    es: {
      label: 'Encuentre un centro de crisis cerca de usted. Escriba su código postal:',
      find: 'Buscar ayuda',
      nationalLine: 'Línea nacional, abierta 24/7:',
      nationalOnly: 'Por favor, llame a la línea nacional.',
      local: 'Su centro local',
      call: 'Llamar al',
      hours: 'Horario:',
      time: 'hora de',
      open: 'Abierto ahora',
      closed: 'Cerrado ahora',
      bad: 'Escriba un código postal de 5 dígitos, por ejemplo 10001.',
      none: 'No encontramos un centro local para ese código postal. Por favor, llame a la línea nacional.',
      fail: 'No pudimos buscar centros en este momento. Por favor, llame a la línea nacional.',
      busy: 'Buscando centros…'
    }
  }[lang];

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    for (var key in attrs) if (attrs[key] !== undefined) node.setAttribute(key, attrs[key]);
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  /** +12125550100 as (212) 555-0100; anything else as given. */
  function pretty(phone) {
    var m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(phone);
    return m ? '(' + m[1] + ') ' + m[2] + '-' + m[3] : phone;
  }

  function telLink(phone, prefix) {
    return el('a', { href: 'tel:' + phone, class: 'crw-tel' }, [prefix ? prefix + ' ' + pretty(phone) : pretty(phone)]);
  }

  if (!document.getElementById('crw-style')) {
    document.head.appendChild(el('style', { id: 'crw-style' }, [
      '.crw{font:inherit;max-width:30rem;box-sizing:border-box;padding:1rem;border:1px solid #8a8a8a;' +
      'border-radius:8px;background:#fff;color:#1a1a1a}' +
      '.crw *{box-sizing:border-box}.crw p{margin:.3rem 0}' +
      '.crw label{display:block;font-weight:600;margin-bottom:.4rem}' +
      '.crw-r{display:flex;flex-wrap:wrap;gap:.5rem}' +
      '.crw input{flex:1 1 8rem;min-width:0;font-size:1rem;padding:.6rem;border:2px solid #555;border-radius:6px}' +
      '.crw button{font-size:1rem;min-height:44px;padding:.6rem 1rem;border:0;border-radius:6px;' +
      'background:#0b5cab;color:#fff;cursor:pointer}' +
      '.crw input:focus,.crw button:focus,.crw a:focus{outline:3px solid #f5a623;outline-offset:2px}' +
      '.crw input[aria-invalid=true]{border-color:#b00020}.crw-e{color:#b00020;font-weight:600}' +
      '.crw-o{margin-top:.8rem}.crw-name{font-size:1.15rem;font-weight:700}' +
      '.crw a{color:#0b5cab;font-weight:600}.crw-tel{display:inline-block;padding:.3rem 0;font-size:1.1rem}' +
      '.crw-open{color:#1b6e1b;font-weight:600}.crw-closed{color:#8a4b00;font-weight:600}' +
      '.crw-n{margin-top:.8rem!important;padding-top:.6rem;border-top:1px solid #ddd}'
    ]));
  }

  var id = 'crw-' + Math.random().toString(36).slice(2, 8);
  var input = el('input', { id: id + '-zip', name: 'zip', type: 'text', inputmode: 'numeric',
    autocomplete: 'postal-code', maxlength: '10', 'aria-describedby': id + '-out' });
  var out = el('div', { id: id + '-out', class: 'crw-o', role: 'status', 'aria-live': 'polite',
    'aria-atomic': 'true' });
  var nationalBox = el('p', { class: 'crw-n' });
  var form = el('form', { class: 'crw-f', novalidate: '' }, [
    el('label', { for: id + '-zip' }, [T.label]),
    el('div', { class: 'crw-r' }, [input, el('button', { type: 'submit' }, [T.find])])
  ]);
  var root = el('section', { class: 'crw', lang: lang, 'aria-label': T.local }, [form, out, nationalBox]);

  function showNational() {
    nationalBox.textContent = '';
    if (national) {
      nationalBox.appendChild(document.createTextNode(T.nationalLine + ' '));
      nationalBox.appendChild(telLink(national.phone));
    } else nationalBox.appendChild(document.createTextNode(T.nationalOnly));
  }

  function show(children) {
    out.textContent = '';
    children.forEach(function (child) { out.appendChild(child); });
  }

  function showCenter(center) {
    var zone = center.timeZone.split('/').pop().replace(/_/g, ' ');
    var when = lang === 'es' ? T.time + ' ' + zone : zone + ' ' + T.time;
    show([
      el('p', {}, [T.local + ':']),
      el('p', { class: 'crw-name' }, [center.name]),
      el('p', {}, [telLink(center.phone, T.call)]),
      el('p', {}, [T.hours + ' ' + center.hours + ' (' + when + ') · ',
        el('span', { class: center.open ? 'crw-open' : 'crw-closed' }, [center.open ? T.open : T.closed])])
    ]);
  }

  /** fetch, given up after ms. */
  function request(url, options, ms) {
    if (typeof AbortController === 'function') {
      var controller = new AbortController();
      options.signal = controller.signal;
      setTimeout(function () { controller.abort(); }, ms);
    }
    return fetch(url, options);
  }

  var pending = 0;
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var zip = input.value.replace(/\s+/g, '');
    if (!/^\d{5}(-?\d{4})?$/.test(zip)) {
      input.setAttribute('aria-invalid', 'true');
      show([el('p', { class: 'crw-e' }, [T.bad])]);
      input.focus();
      return;
    }
    input.removeAttribute('aria-invalid');
    var ticket = ++pending;
    show([el('p', {}, [T.busy])]);
    var url = api + '/v1/zips/' + zip.slice(0, 5) + (lang === 'es' ? '?lang=es' : '');
    request(url, { headers: { accept: 'application/json' } }, 8000)
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(function (answer) {
        if (ticket !== pending) return;
        var list = answer.destinations || [];
        var last = list[list.length - 1];
        if (last && last.kind === 'national') { national = last; showNational(); }
        if (list[0] && list[0].kind === 'affiliate') showCenter(list[0]);
        else show([withNational(T.none)]);
      })
      .catch(function () {
        if (ticket === pending) show([withNational(T.fail)]);
      });
  });

  function withNational(message) {
    return el('p', { class: 'crw-e' }, national ? [message + ' ', telLink(national.phone)] : [message]);
  }

  // Once the page is parsed (an async script may run earlier): into the target, replacing the partner's fallback
  // only once the service answers and the national line is known; no target, after the script.
  function mount() {
    if (document.readyState === 'loading') return document.addEventListener('DOMContentLoaded', mount);
    var selector = script.getAttribute('data-target'), target = null;
    try { target = selector ? document.querySelector(selector) : null; } catch (_) { /* not a selector */ }
    if (!target) return script.parentNode && script.parentNode.insertBefore(root, script.nextSibling);
    if (!target.children.length && !/\S/.test(target.textContent)) return target.appendChild(root);
    // The service down as the page loads: the fallback stays, marked for the partner's styles.
    var unavailable = function () { target.setAttribute('data-widget', 'unavailable'); };
    if (!national || typeof fetch !== 'function') return unavailable();
    request(api + '/widget.js', { method: 'HEAD', cache: 'no-store' }, 5000).then(function (response) {
      if (!response.ok) return unavailable();
      target.textContent = '';
      target.appendChild(root);
    }, unavailable);
  }

  showNational();
  mount();
})();
