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
