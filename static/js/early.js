// Runs in <head>, before the page paints: styles written for pages with
// JavaScript (the .js class) apply from the first frame, without a flash.
document.documentElement.classList.replace("no-js", "js");
