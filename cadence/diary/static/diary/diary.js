// The patient's diary page: the day picker loads the chosen day, and days recorded
// without a connection wait on the phone until it returns (the diary PUT is idempotent,
// so sending a day twice stores it once).
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
    var period = value("menstruating");
    if (period === "yes" || period === "no") day.menstruating = period === "yes";
    return day;
  }

  function enqueue(date, body, label) {
    var queue = readQueue().filter(function (item) {
      return !(item.patient === patientId && item.date === date);
    });
    queue.push({ patient: patientId, date: date, body: body, label: label });
    writeQueue(queue);
  }

  var sending = false;
  function flush() {
    if (sending || !navigator.onLine) return;
    var queue = readQueue();
    var next = queue.find(function (item) { return item.patient === patientId && !item.problem; });
    if (!next) return;
    sending = true;
    fetch("/api/v1/patients/" + patientId + "/diary/" + next.date, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(next.body),
    }).then(function (response) {
      var rest = readQueue();
      if (response.ok) {
        rest = rest.filter(function (item) { return !(item.patient === next.patient && item.date === next.date); });
        writeQueue(rest);
        sending = false;
        flush();
        return;
      }
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (response.status === 422) {
          var detail = (answer.detail || []).map(function (d) { return d.msg; }).join(" ");
          rest.forEach(function (item) {
            if (item.patient === next.patient && item.date === next.date) item.problem = detail || "refused";
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
    var body = noHeadache ? { headache_hours: 0 } : dayFromForm();
    var label = date + (noHeadache || !body.headache_hours ? ": no headache" : ": " + body.headache_hours + " h of headache");
    enqueue(date, body, label);
  }

  form.addEventListener("submit", queueSubmit);
  document.querySelectorAll("form.diary-quick, .gap-list form").forEach(function (quick) {
    quick.addEventListener("submit", queueSubmit);
  });
  window.addEventListener("online", flush);
  showQueue();
  flush();
})();
