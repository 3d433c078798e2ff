// The patient's diary page: the day picker loads the chosen day, and days and attacks
// recorded without a connection wait on the phone until it returns (the diary PUT is
// idempotent, and an attack's start and end are too for a given start time, so sending
// one twice stores it once).
(function () {
  "use strict";
  var QUEUE_KEY = "cadence-diary-queue";

  // Choosing a day loads that day's entry (or an empty form) instead of keeping today's.
  document.querySelectorAll("[data-day-picker]").forEach(function (form) {
    var input = form.querySelector("input[type=date]");
    if (input) {
      input.addEventListener("change", function () {
        if (input.value) form.submit();
      });
    }
  });

  var form = document.querySelector("[data-diary-form]");
  var panel = document.querySelector("[data-offline-queue]");
  var patientId = form ? form.getAttribute("data-patient-id") : null;
  if (!form || !patientId) return;

  if ("serviceWorker" in navigator && form.hasAttribute("data-service-worker")) {
    navigator.serviceWorker.register(form.getAttribute("data-service-worker")).catch(function () {});
  }

  function readQueue() {
    try {
      return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]");
    } catch (e) {
      return [];
    }
  }
  function writeQueue(queue) {
    localStorage.setItem(QUEUE_KEY, JSON.stringify(queue));
    showQueue();
  }
  function showQueue() {
    if (!panel) return;
    var queue = readQueue().filter(function (item) { return item.patient === patientId; });
    var list = panel.querySelector("ul");
    list.textContent = "";
    queue.forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = item.label + (item.problem ? " \u2014 not saved: " + item.problem : "");
      list.appendChild(li);
    });
    panel.hidden = queue.length === 0;
  }
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var field = form.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function checked(name) {
    var box = form.querySelector("[name='" + name + "']");
    return !!(box && box.checked);
  }
  function values(name) {
    return Array.prototype.map.call(
      form.querySelectorAll("[name='" + name + "']:checked"),
      function (box) { return box.value; }
    );
  }
  function value(name) {
    var field = form.querySelector("[name='" + name + "']:not([type=radio])") ||
      form.querySelector("[name='" + name + "']:checked");
    return field ? field.value : "";
  }

  // The form's answers in the API's shape (api-contract.md, "A diary day").
  function dayFromForm() {
    var medicines = [];
    form.querySelectorAll("[data-medicine-name]").forEach(function (box) {
      if (box.checked) {
        var relieved = form.querySelector("[name='" + box.name.replace("_taken", "_relieved") + "']");
        medicines.push({
          name: box.getAttribute("data-medicine-name"),
          drug_class: box.getAttribute("data-medicine-class"),
          relieved: !!(relieved && relieved.checked),
        });
      }
    });
    for (var i = 0; form.querySelector("[name='other_" + i + "_name']"); i++) {
      var name = value("other_" + i + "_name").trim();
      if (name) {
        medicines.push({
          name: name,
          drug_class: value("other_" + i + "_class") || "other",
          relieved: checked("other_" + i + "_relieved"),
        });
      }
    }
    var features = ["unilateral", "pulsating", "worse_with_activity", "nausea", "vomiting",
      "photophobia", "phonophobia", "aura", "missed_activity", "aura_without_headache"];
    var day = {
      headache_hours: parseFloat(value("headache_hours") || "0") || 0,
      peak_severity: value("peak_severity") || "none",
      acute_medications: medicines,
      notes: value("notes"),
      other_triggers: value("other_triggers"),
    };
    features.forEach(function (name) { day[name] = checked(name); });
    var regions = values("pain_regions");
    if (regions.length) day.pain_regions = regions;
    var triggers = values("triggers");
    if (triggers.length) day.triggers = triggers;
    // The whole day, as the page's form stores it: nothing ticked is "not recorded"
    // (null). The day's attacks are left out, so they stay as stored.
    var regions = values("pain_regions");
    day.pain_regions = regions.length ? regions : null;
    var triggers = values("triggers");
    day.triggers = triggers.length ? triggers : null;
    var period = value("menstruating");
    day.menstruating = period === "yes" || period === "no" ? period === "yes" : null;
    return day;
  }

  // Each waiting item: {kind: "day" | "attack-start" | "attack-end", key, patient, body, label}.
  function keyOf(item) {
    return item.key || "day:" + item.date;
  }
  function enqueue(item) {
    item.patient = patientId;
    var queue = readQueue().filter(function (waiting) {
      return !(waiting.patient === patientId && keyOf(waiting) === item.key);
    });
    queue.push(item);
    writeQueue(queue);
  }
  function enqueueDay(date, body, label) {
    enqueue({ kind: "day", key: "day:" + date, date: date, body: body, label: label });
  }
  function requestFor(item) {
    var base = "/api/v1/patients/" + patientId;
    if (item.kind === "attack-start") return { method: "POST", url: base + "/attacks/start" };
    if (item.kind === "attack-end") return { method: "POST", url: base + "/attacks/end" };
    return { method: "PUT", url: base + "/diary/" + item.date };
  }

  var sending = false;
  function flush() {
    if (sending || !navigator.onLine) return;
    var queue = readQueue();
    var next = queue.find(function (item) { return item.patient === patientId && !item.problem; });
    if (!next) return;
    sending = true;
    var request = requestFor(next);
    var sameItem = function (item) { return item.patient === next.patient && keyOf(item) === keyOf(next); };
    fetch(request.url, {
      method: request.method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(next.body),
    }).then(function (response) {
      var rest = readQueue();
      if (response.ok) {
        writeQueue(rest.filter(function (item) { return !sameItem(item); }));
        var since = next.kind === "attack-start" && document.querySelector("[data-attack-since]");
        if (since) since.textContent = since.textContent.replace(" (not sent yet)", "");
        sending = false;
        flush();
        return;
      }
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (response.status === 422 || response.status === 409) {
          var detail = (answer.detail || []).map(function (d) { return d.msg; }).join(" ");
          rest.forEach(function (item) {
            if (sameItem(item)) item.problem = detail || "refused";
          });
          writeQueue(rest);
        }
        sending = false;
      });
    }).catch(function () {
      sending = false; // still offline: try again when the connection returns
    });
  }

  function queueSubmit(event) {
    if (navigator.onLine) return;
    event.preventDefault();
    var submitted = event.target;
    var date = submitted.querySelector("[name=date]").value;
    var noHeadache = event.submitter && event.submitter.name === "no_headache";
    // "No headache" replaces the whole day, as it does online.
    var body = noHeadache
      ? { headache_hours: 0, pain_regions: null, triggers: null, other_triggers: "", attacks: null, menstruating: null }
      : dayFromForm();
    var label = date + (noHeadache || !body.headache_hours ? ": no headache" : ": " + body.headache_hours + " h of headache");
    enqueueDay(date, body, label);
  }

  form.addEventListener("submit", queueSubmit);
  document.querySelectorAll("form.diary-quick, .gap-list form").forEach(function (quick) {
    quick.addEventListener("submit", queueSubmit);
  });

  // The attack quick-log without a connection: the start and the end wait on the phone
  // with the times they were tapped, and are sent in order when the connection returns.
  var card = document.querySelector("[data-attack-card]");
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function localMinute(moment) {
    return moment.getFullYear() + "-" + pad(moment.getMonth() + 1) + "-" + pad(moment.getDate()) +
      "T" + pad(moment.getHours()) + ":" + pad(moment.getMinutes());
  }
  function showAttackGoing(startedAt, note) {
    card.setAttribute("data-open-attack", startedAt);
    card.querySelector("[data-attack-since]").textContent = startedAt.slice(11) + (note || "");
    card.querySelector("[data-attack-going]").hidden = false;
    card.querySelector("[data-attack-idle]").hidden = true;
  }
  function showAttackIdle() {
    card.removeAttribute("data-open-attack");
    card.querySelector("[data-attack-going]").hidden = true;
    card.querySelector("[data-attack-idle]").hidden = false;
  }
  function attackMedicines(end) {
    var usual = [];
    var script = document.getElementById("attack-usual-medicines");
    try { usual = JSON.parse(script ? script.textContent : "[]") || []; } catch (e) { usual = []; }
    var relievedBox = end.querySelector("[name=relieved]");
    var relieved = !!(relievedBox && relievedBox.checked);
    var medicines = [];
    end.querySelectorAll("[name=usual]:checked").forEach(function (box) {
      var medicine = usual[parseInt(box.value, 10)];
      if (medicine) medicines.push({ name: medicine[0], drug_class: medicine[1], relieved: relieved });
    });
    var other = end.querySelector("[name=other_name]");
    var kind = end.querySelector("[name=other_class]");
    if (other && other.value.trim()) {
      medicines.push({ name: other.value.trim(), drug_class: (kind && kind.value) || "other", relieved: relieved });
    }
    return medicines;
  }
  function endForm(fromTemplate) {
    var end = card.querySelector("[data-attack-end]");
    var template = card.querySelector("template[data-attack-end-template]");
    if (!end && template && fromTemplate) {
      // No attack was going on when the page was made: the form comes from its template.
      card.querySelector("[data-attack-going]").appendChild(template.content.cloneNode(true));
      template.remove();
      end = card.querySelector("[data-attack-end]");
    }
    if (end && !end.hasAttribute("data-bound")) {
      end.setAttribute("data-bound", "");
      end.addEventListener("submit", endOffline);
    }
    return end;
  }
  function endOffline(event) {
    if (navigator.onLine) return;
    event.preventDefault();
    var end = event.target;
    var startedAt = card.getAttribute("data-open-attack");
    var endedAt = localMinute(new Date());
    var worst = end.querySelector("[name=peak_severity]:checked");
    var body = {
      ended_at: endedAt,
      peak_severity: worst ? worst.value : "none",
      acute_medications: attackMedicines(end),
    };
    if (startedAt) body.started_at = startedAt;
    enqueue({
      kind: "attack-end",
      key: "attack-end:" + (startedAt || endedAt),
      body: body,
      label: "Headache ended " + endedAt.replace("T", " ") + " (worst pain: " + body.peak_severity + ")",
    });
    showAttackIdle();
  }
  if (card) {
    var start = card.querySelector("[data-attack-start]");
    endForm(false); // an attack going on: its form is on the page already
    start.addEventListener("submit", function (event) {
      if (navigator.onLine) return;
      event.preventDefault();
      var startedAt = localMinute(new Date());
      enqueue({
        kind: "attack-start",
        key: "attack-start:" + startedAt,
        body: { started_at: startedAt },
        label: "Headache started " + startedAt.replace("T", " "),
      });
      endForm(true);
      showAttackGoing(startedAt, " (not sent yet)");
    });
  }
  window.addEventListener("online", flush);
  showQueue();
  flush();
})();
