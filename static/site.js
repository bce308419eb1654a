/* Klantportal Mijn Onderwijsgroep - small improvements on top of pages that
 * work without it. The header's menus are <details> elements: they open and
 * close with a click, Enter or Space by themselves. This adds what a menu
 * is expected to do besides: Escape closes the open one and puts the focus
 * back on its button, and a click or the focus going elsewhere closes the
 * name menu (it lies over the page; the main menu pushes the page down and
 * stays open until it is closed). */
(function () {
  'use strict';

  var menus = document.querySelectorAll('details.usermenu, details.navmenu');
  if (!menus.length) return;

  function close(menu, focusButton) {
    if (!menu.open) return;
    menu.open = false;
    if (focusButton) menu.querySelector('summary').focus();
  }

  function floating(menu) {
    return menu.classList.contains('usermenu');
  }

  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape' && e.key !== 'Esc') return;
    for (var i = 0; i < menus.length; i++) {
      var m = menus[i];
      if (!m.open) continue;
      // the focus returns to the button only when it was in the menu
      close(m, m.contains(document.activeElement));
      e.preventDefault();
    }
  });

  document.addEventListener('click', function (e) {
    for (var i = 0; i < menus.length; i++)
      if (floating(menus[i]) && !menus[i].contains(e.target)) close(menus[i], false);
  });

  document.addEventListener('focusin', function (e) {
    for (var i = 0; i < menus.length; i++)
      if (floating(menus[i]) && !menus[i].contains(e.target)) close(menus[i], false);
  });
})();

/* The enrolment page's magnifier ("loepje"): without JavaScript it is a
 * link to the list of the organisation's persons, whose Kiezen links come
 * back with ?deelnemer=. With it, the same list opens in a <dialog> on the
 * page: the focus moves into it, Escape closes it (the dialog does that by
 * itself) and the focus returns to the magnifier; searching and paging
 * stay inside the dialog, and Kiezen goes on as the link says. */
(function () {
  'use strict';

  var opener = document.getElementById('zoek-deelnemer');
  if (!opener || typeof HTMLDialogElement !== 'function' || !window.fetch || !window.DOMParser)
    return;
  var listPath = '/mijn/organisatie/personen';

  var dialog = document.createElement('dialog');
  dialog.className = 'lookup-dialog';
  dialog.setAttribute('aria-labelledby', 'lookup-title');
  var head = document.createElement('div');
  head.className = 'lookup-head';
  var title = document.createElement('h2');
  title.id = 'lookup-title';
  title.textContent = 'Kies een deelnemer';
  var closer = document.createElement('button');
  closer.type = 'button';
  closer.className = 'button secondary';
  closer.textContent = 'Sluiten';
  head.appendChild(title);
  head.appendChild(closer);
  var body = document.createElement('div');
  body.className = 'lookup-body';
  body.setAttribute('aria-live', 'polite');
  dialog.appendChild(head);
  dialog.appendChild(body);
  document.body.appendChild(dialog);

  closer.addEventListener('click', function () { dialog.close(); });
  dialog.addEventListener('close', function () { opener.focus(); });

  function inList(href) {
    var u = new URL(href, location.href);
    return u.origin === location.origin && u.pathname === listPath ? u : null;
  }

  /* The list page's own content, moved into the dialog: its heading
   * becomes the dialog's subtitle, the rest (search, list, pages, Nieuw
   * contactpersoon) stays as the page made it. */
  function show(url, focusFirst) {
    body.setAttribute('aria-busy', 'true');
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var page = doc.querySelector('main .page') || doc.querySelector('main');
        if (!page) throw new Error('geen lijst');
        var h1 = page.querySelector('h1');
        if (h1) h1.parentNode.removeChild(h1);
        body.replaceChildren.apply(body, Array.prototype.slice.call(page.childNodes).map(function (n) {
          return document.importNode(n, true);
        }));
        body.removeAttribute('aria-busy');
        if (focusFirst) {
          var first = body.querySelector('input[type=search], input[type=text], a[data-deelnemer]');
          (first || closer).focus();
        }
      })
      .catch(function () {
        /* the page itself works without the dialog */
        location.href = opener.href;
      });
  }

  opener.addEventListener('click', function (e) {
    e.preventDefault();
    dialog.showModal();
    show(opener.href, true);
  });

  body.addEventListener('click', function (e) {
    var a = e.target.closest ? e.target.closest('a') : null;
    if (!a || a.hasAttribute('data-deelnemer')) return;
    var u = inList(a.href);
    if (!u) return;
    e.preventDefault();
    show(u.href, true);
  });

  body.addEventListener('submit', function (e) {
    var form = e.target;
    var u = inList(form.action || location.href);
    if (!u || (form.method || 'get').toLowerCase() !== 'get') return;
    e.preventDefault();
    u.search = new URLSearchParams(new FormData(form)).toString();
    show(u.href, true);
  });
})();
