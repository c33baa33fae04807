// What each answer recorded, under the user's own bubble, with a one-tap undo. The readings
// come from the server (GET …/readings): a reload, or another device, shows them again.
// Each assistant bubble carries its turn's number (data-turn); a turn's readings sit right
// before it, which is right under the user's words that it answered.

import { readingsStrip } from "./chat.js";
import { statusLabel, t } from "./i18n.js";

export class Readings {
  constructor(app) {
    this.app = app;
  }

  get log() {
    return this.app.ui.log;
  }

  /** A reply has landed in ``node``: show what its turn recorded, if anything. */
  shown(reply, node) {
    if (reply.turn !== null && reply.turn !== undefined) node.dataset.turn = String(reply.turn);
    const readings = (reply.readings || []).filter((r) => r.undo_of === null || r.undo_of === undefined);
    if (!readings.length) return;
    const earlier = readings.some((r) => this.log.querySelector(this.currentSelector(r.indicator_id)));
    this.place(readings[0].turn, readings.map((r) => ({ ...r, state: "current" })));
    if (earlier) this.refresh(); // an earlier reading of the same indicator no longer stands
  }

  currentSelector(indicatorId) {
    return `[data-testid="reading"][data-state="current"][data-indicator="${CSS.escape(indicatorId)}"]`;
  }

  /** Every turn's readings as the server has them now. */
  async refresh() {
    const app = this.app;
    if (!app.session) return;
    let readings;
    try {
      readings = await app.api.readings(app.session.id);
    } catch {
      return; // a convenience: the chat itself already said what was recorded
    }
    const byTurn = new Map();
    for (const reading of readings) {
      if (!byTurn.has(reading.turn)) byTurn.set(reading.turn, []);
      byTurn.get(reading.turn).push(reading);
    }
    for (const [turn, group] of byTurn) this.place(turn, group);
    app.keepInView();
  }

  place(turn, readings) {
    const strip = readingsStrip(readings, this.app.lang, {
      onUndo: (reading) => this.undo(reading),
      onChange: (reading, status) => this.change(reading, status),
    });
    const existing = this.log.querySelector(`[data-testid="readings"][data-turn="${turn}"]`);
    if (existing) {
      existing.replaceWith(strip);
      return;
    }
    const anchor = this.log.querySelector(`.msg-assistant[data-turn="${turn}"]`);
    if (anchor) anchor.before(strip);
  }

  async undo(reading) {
    const app = this.app;
    const echo = t(app.lang, "readingUndoEcho", { id: reading.indicator_id });
    const request = (id) => app.api.undoReading(id, reading.turn, reading.indicator_id);
    if (await app.sendTurn(null, echo, request)) await this.refresh();
  }

  change(reading, status) {
    const label = statusLabel(this.app.lang, status);
    const text = t(this.app.lang, "readingChangeEcho", { id: reading.indicator_id, status: label });
    return this.app.sendTurn({ text }, text);
  }
}
