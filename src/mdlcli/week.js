// "This week" and "Due soon", worked out where the page is read, over the facts mdl embedded in
// it (#mdl-week-facts). The rules and the markup are those of pageweek.py and htmlpage.py, which
// wrote the same blocks for the day the page was made; readers without scripts keep those.
// Course text only ever enters the page as text nodes.
(function () {
  "use strict";
  var facts = JSON.parse(document.getElementById("mdl-week-facts").textContent);
  var names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
  // The one clock the page reads: a test pins it by replacing it, then calls mdlShowWeek().
  if (typeof window.mdlClock !== "function") {
    window.mdlClock = function () { return new Date(); };
  }
  var dayFormat = new Intl.DateTimeFormat("en-CA", {
    timeZone: facts.zone, year: "numeric", month: "2-digit", day: "2-digit"
  });

  function localDay(moment) {
    var parts = {};
    dayFormat.formatToParts(moment).forEach(function (p) { parts[p.type] = p.value; });
    return parts.year + "-" + parts.month + "-" + parts.day;
  }
  function shift(day, count) {
    var d = new Date(day + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + count);
    return d.toISOString().slice(0, 10);
  }
  function weekday(day) { return (new Date(day + "T00:00:00Z").getUTCDay() + 6) % 7; }
  function label(day) { return names[weekday(day)] + " " + day; }
  // Python's round(), half to even, so that both sides say the same count.
  function round(x) {
    var r = Math.round(x);
    return (Math.abs(x % 1) === 0.5 && r % 2 !== 0) ? r - 1 : r;
  }
  function inWords(ms) {
    var minutes = Math.max(0, round(ms / 60000)), size = 1, unit = "minute";
    if (minutes >= 23 * 60 + 30) { size = 24 * 60; unit = "day"; } else if (minutes >= 59) { size = 60; unit = "hour"; }
    var count = unit === "minute" ? minutes : Math.max(1, round(minutes / size));
    return count + " " + unit + (count === 1 ? "" : "s");
  }

  function node(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function entry(tag, item, countdown) {
    var e = node(tag, item.cancelled ? "cancelled" : "");
    e.appendChild(node("span", "when", label(item.day) + " " + item.when));
    e.appendChild(document.createTextNode(" "));
    e.appendChild(node("span", "kind", item.kind));
    e.appendChild(document.createTextNode(" " + item.title + (item.where ? ", " + item.where : "")));
    if (item.cancelled) {
      e.appendChild(document.createTextNode(" "));
      e.appendChild(node("strong", "", "cancelled"));
    }
    if (countdown) { e.appendChild(node("span", "countdown", " (" + countdown + ")")); }
    return e;
  }
  function list(items, countdowns) {
    var ul = node("ul");
    items.forEach(function (item, i) { ul.appendChild(entry("li", item, countdowns && countdowns[i])); });
    return ul;
  }

  function showWeek(now, today, monday, sunday) {
    var box = document.getElementById("week-now");
    var shown = facts.items.filter(function (i) { return monday <= i.day && i.day <= sunday; });
    var ahead = facts.items.filter(function (i) {
      return i.session && !i.cancelled && new Date(i.start) > now;
    });
    var weekAhead = shown.some(function (i) { return ahead.indexOf(i) >= 0; });
    box.textContent = "";
    if (today < facts.term[0]) {
      box.appendChild(node("p", "", "The term starts on " + label(facts.term[0]) + "."));
    }
    if (today > facts.term[1] && !shown.length) {
      box.appendChild(node("p", "", "The term ended on " + label(facts.term[1]) + "."));
    } else {
      box.appendChild(node("p", "", label(monday) + " to " + label(sunday) + ":"));
      box.appendChild(shown.length ? list(shown) : node("p", "", "Nothing is on this week."));
    }
    if (ahead.length && !weekAhead) {
      var next = entry("p", ahead[0]);
      next.insertBefore(document.createTextNode("Next: "), next.firstChild);
      box.appendChild(next);
    }
  }

  function showDueSoon(now) {
    var box = document.getElementById("due-soon-now");
    if (!box) { return; }
    var until = now.getTime() + facts.soon_days * 86400000;
    var due = facts.items.filter(function (i) {
      var at = i.due && new Date(i.due).getTime();
      return at && !i.cancelled && now.getTime() <= at && at <= until;
    });
    box.textContent = "";
    box.appendChild(due.length
      ? list(due, due.map(function (i) { return "in " + inWords(new Date(i.due) - now); }))
      : node("p", "", "Nothing is due in the next " + facts.soon_days + " days."));
  }

  function markRows(monday, sunday) {
    var first = true;
    document.querySelectorAll("tr[data-days]").forEach(function (row) {
      var days = row.getAttribute("data-days").split(" ");
      var current = days[0] <= sunday && days[1] >= monday;
      row.classList.toggle("this-week", current);
      if (current) { row.setAttribute("aria-current", "date"); } else { row.removeAttribute("aria-current"); }
      if (current && first) { row.id = "this-week"; first = false; } else if (row.id === "this-week") { row.removeAttribute("id"); }
    });
  }

  window.mdlShowWeek = function () {
    var now = window.mdlClock();
    var today = localDay(now);
    var monday = shift(today, -weekday(today)), sunday = shift(monday, 6);
    showWeek(now, today, monday, sunday);
    showDueSoon(now);
    markRows(monday, sunday);
    var clock = document.getElementById("week-clock");
    if (clock) { clock.textContent = "“This week” and “Due soon” follow your device’s clock."; }
  };
  window.mdlShowWeek();
}());
