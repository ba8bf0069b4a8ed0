// Clicking a waveform plays its take from that moment; a pause (a focusable mark carrying
// its start in data-start) plays from the pause's start, by mouse or by Enter/Space; so does a
// word of the transcript.
document.querySelectorAll(".take").forEach(function (take) {
  var audio = take.querySelector("audio");
  var wave = take.querySelector("svg.wave");
  if (!audio || !wave) return;
  var axis = parseFloat(wave.getAttribute("data-axis"));
  var head = wave.querySelector(".playhead");
  function playFrom(t) {
    audio.currentTime = Math.max(0, t);
    var playing = audio.play();
    if (playing) playing.catch(function () {});
  }
  wave.addEventListener("click", function (e) {
    var mark = e.target.closest("[data-start]");
    if (mark) {
      playFrom(parseFloat(mark.getAttribute("data-start")));
    } else {
      var box = wave.getBoundingClientRect();
      playFrom(((e.clientX - box.left) / box.width) * axis);
    }
  });
  wave.addEventListener("keydown", function (e) {
    var mark = e.target.closest("[data-start]");
    if (mark && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      playFrom(parseFloat(mark.getAttribute("data-start")));
    }
  });
  // A transcript's words (each carrying its start in data-at) play from where each was said.
  var said = take.querySelector(".transcript");
  if (said) {
    said.addEventListener("click", function (e) {
      var word = e.target.closest("[data-at]");
      if (word) playFrom(parseFloat(word.getAttribute("data-at")));
    });
    said.addEventListener("keydown", function (e) {
      var word = e.target.closest("[data-at]");
      if (word && (e.key === "Enter" || e.key === " ")) {
        e.preventDefault();
        playFrom(parseFloat(word.getAttribute("data-at")));
      }
    });
  }
  audio.addEventListener("timeupdate", function () {
    var x = (Math.min(audio.currentTime, axis) / axis) * 1000;
    head.setAttribute("x1", x);
    head.setAttribute("x2", x);
    head.style.visibility = audio.currentTime > 0 ? "visible" : "hidden";
  });
});
