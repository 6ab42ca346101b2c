// When to show the survey. Each trigger calls `fire` at most once and returns
// a function that removes its listeners. 'immediate' and 'pageviews' are
// decided by the loader at start; 'event' by NpsKit.track; 'manual' never.
const passive = { passive: true };

export function armTrigger(options, fire) {
  const cleanups = [];
  let fired = false;
  const once = () => {
    if (fired) return;
    fired = true;
    disarm();
    fire();
  };
  const listen = (target, type, handler) => {
    target.addEventListener(type, handler, passive);
    cleanups.push(() => target.removeEventListener(type, handler, passive));
  };
  const disarm = () => cleanups.splice(0).forEach((cleanup) => cleanup());

  if (options.trigger === 'delay') {
    const timer = setTimeout(once, options.delay * 1000);
    cleanups.push(() => clearTimeout(timer));
  } else if (options.trigger === 'scroll') {
    const check = () => {
      const scrollable = document.documentElement.scrollHeight - innerHeight;
      if (scrollable > 0 && (scrollY / scrollable) * 100 >= options.scrollPercent) once();
    };
    listen(window, 'scroll', check);
  } else if (options.trigger === 'exit') {
    // Desktop: the pointer leaves the page through the top edge, towards the
    // tabs, address bar or close button.
    listen(document, 'mouseout', (event) => {
      if (!event.relatedTarget && event.clientY <= 0) once();
    });
    // Touch screens have no pointer to leave: a quick flick back up after
    // reading at least a screenful is the usual sign of heading for the
    // address bar or the back gesture. History is never rewritten for this.
    if (matchMedia('(hover: none), (pointer: coarse)').matches) {
      let previous = scrollY;
      let deepest = scrollY;
      let climbStart = null;
      listen(window, 'scroll', () => {
        const now = performance.now();
        const y = scrollY;
        deepest = Math.max(deepest, y);
        if (y >= previous) climbStart = null;
        // The climb is timed from one frame before its first scroll event.
        else if (!climbStart) climbStart = { y: previous, time: now - 16 };
        previous = y;
        if (!climbStart || deepest < innerHeight) return;
        const climbed = climbStart.y - y;
        if (climbed > innerHeight / 4 && climbed / (now - climbStart.time) > 1) once();
      });
    }
  }
  return disarm;
}
