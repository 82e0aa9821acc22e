/* crisis-route zip widget. Embed: <div id="find-help">FALLBACK</div>
   <script src="https://ROUTER/widget.js" data-target="#find-help" async></script>
   The fallback (e.g. the national line) stays until the service answers, then the widget takes its place.
   Optional: data-lang="es". Plain browser JavaScript on purpose: no framework, no build step. */
/* global Intl */
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
      open: 'Open now',
      closed: 'Closed now',
      always: 'Open 24 hours, every day',
      until: 'until ',
      opens: 'opens ',
      days: ['today', 'tomorrow'],
      midnight: 'midnight',
      noon: 'noon',
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
      open: 'Abierto ahora',
      closed: 'Cerrado ahora',
      always: 'Abierto las 24 horas, todos los días',
      until: 'hasta ',
      opens: 'abre ',
      days: ['hoy', 'mañana'],
      midnight: 'medianoche',
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

  // Hours are counted in minutes from Monday 00:00 in the center's time zone.
  var WEEK = 10080, DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];

  /** Whether minute p is open, by the hours grammar of data/README.md (a range may run past midnight). */
  function opener(hours) {
    var spans = hours === '24/7' ? [[0, WEEK]] : [];
    if (!spans.length) hours.split(';').forEach(function (rule) {
      var fields = rule.trim().split(/\s+/);
      fields[0].split(',').forEach(function (set) {
        var ends = set.split('-'), day = DAYS.indexOf(ends[0]), last = DAYS.indexOf(ends.pop());
        if (last < 0) throw new Error(hours);
        for (;; day = (day + 1) % 7) {
          fields[1].split(',').forEach(function (range) {
            var t = range.split(/[-:]/), from = day * 1440 + t[0] * 60 + +t[1], to = day * 1440 + t[2] * 60 + +t[3];
            spans.push([from, to > from ? to : to + 1440]);
          });
          if (day === last) break;
        }
      });
    });
    return function (p) {
      p %= WEEK;
      return spans.some(function (span) { return span[0] <= p && p < span[1] || p + WEEK < span[1]; });
    };
  }

  /** The named parts of a date as Intl formats it. */
  function parts(locale, options, date) {
    var named = {};
    new Intl.DateTimeFormat(locale, options).formatToParts(date).forEach(function (x) { named[x.type] = x.value; });
    return named;
  }

  function clock(minute) {
    if (minute % 1440 === 0) return T.midnight;
    if (minute % 1440 === 720 && T.noon) return T.noon;
    var options = { hour: 'numeric', minute: lang === 'es' || minute % 60 ? '2-digit' : undefined, timeZone: 'UTC' };
    return new Intl.DateTimeFormat(lang, options).format(Date.UTC(2024, 0, 1, 0, minute % 1440)).toLowerCase();
  }

  /** "11 pm", "9 am Monday" / "las 23:00", "el lunes a las 9:00": minute p of the week, seen from now. */
  function when(p, now, until) {
    // Midnight closes the day before it: "until midnight" is tonight.
    var day = Math.floor((p % 1440 ? p : p - 1) / 1440), ahead = day - Math.floor(now / 1440), time = clock(p);
    var dayless = until && (ahead === 0 || p - now <= 720);
    var name = ahead < 2 ? T.days[ahead] : new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' })
      .format(Date.UTC(2024, 0, 1 + (day % 7)));
    if (lang === 'en') return dayless ? time : time + ' ' + name;
    time = (/^(1:|m)/.test(time) ? 'la ' : 'las ') + time;
    return dayless ? time : (ahead < 2 ? name : 'el ' + name) + ' a ' + time;
  }

  /** "Open now, until 11 pm (Eastern Time)", by the reader's clock; the open state alone when unsure. */
  function hoursLine(center) {
    var head = center.open ? T.open : T.closed, rest = '';
    try {
      var isOpen = opener(center.hours), date = new Date(), zone = center.timeZone;
      var at = parts('en-US', { timeZone: zone, weekday: 'short', hour: 'numeric', minute: 'numeric',
        hourCycle: 'h23' }, date);
      var now = DAYS.indexOf(at.weekday.slice(0, 2)) * 1440 + (at.hour % 24) * 60 + +at.minute, p = now;
      // A reader's clock that disagrees with the service's is not trusted with the details.
      if (isOpen(now) !== center.open) throw new Error('clock');
      while (++p < now + WEEK && isOpen(p) === center.open);
      if (p - now === WEEK) head = center.open ? T.always : head;
      else
        rest = ', ' + (center.open ? T.until + when(p, now, true) : T.opens + when(p, now, false)) +
          ' (' + parts(lang, { timeZone: zone, timeZoneName: 'longGeneric' }, date).timeZoneName + ')';
    } catch (_) { /* hours it cannot read, or an older browser */ }
    return el('p', {}, [el('span', { class: center.open ? 'crw-open' : 'crw-closed' }, [head]), rest]);
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
    show([
      el('p', {}, [T.local + ':']),
      el('p', { class: 'crw-name' }, [center.name]),
      el('p', {}, [telLink(center.phone, T.call)]),
      hoursLine(center)
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
