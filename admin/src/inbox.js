// The inbox: every answer, newest first, filtered on the collector (survey,
// group, score, status, segment, dates, text in the comment), each with its
// follow-up status and private note (PATCH /api/responses/{id}) and a way to
// erase it (DELETE). Comments are only ever set as text, in an element with
// dir="auto" so right-to-left comments read right.
import { $, element } from '../../demo/src/calc/dom.js';
import * as format from '../../demo/src/format.js';
import { Unauthorized } from './session.js';

const pageSize = 50;
const statuses = ['new', 'to follow up', 'done'];
const groupNames = { promoter: 'Promoter', passive: 'Passive', detractor: 'Detractor' };

export function createInbox(session, { onChange }) {
  const state = { before: null, loading: 0 };
  const inbox = { onUnauthorized: () => {} };

  const failed = (failure) => {
    if (failure instanceof Unauthorized) {
      inbox.onUnauthorized(failure);
      return;
    }
    $('inbox-error').textContent = failure.message;
    $('inbox-error').hidden = false;
  };

  function filterQuery() {
    const parameters = new URLSearchParams();
    const fields = {
      survey: 'filter-survey',
      category: 'filter-category',
      score: 'filter-score',
      status: 'filter-status',
      segment: 'filter-segment',
      from: 'filter-from',
      to: 'filter-to',
      text: 'filter-text',
    };
    for (const [name, id] of Object.entries(fields)) {
      const value = $(id).value.trim();
      if (value) parameters.set(name, value);
    }
    parameters.set('limit', String(pageSize));
    return parameters;
  }

  function answerItem(answer) {
    const headingId = `answer-${answer.id}`;
    const when = answer.submitted_at.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
    const comment = element('p', {
      className: 'answer-comment',
      text: answer.comment,
      attributes: { dir: 'auto', lang: answer.locale || '' },
    });
    if (!answer.locale) comment.removeAttribute('lang');
    const statusSelect = element(
      'select',
      { attributes: { id: `status-${answer.id}` } },
      statuses.map((value) => element('option', { text: value, attributes: { value } })),
    );
    statusSelect.value = answer.status;
    const note = element('textarea', {
      text: answer.note,
      attributes: { id: `note-${answer.id}`, rows: '2', dir: 'auto' },
    });
    const saved = element('span', { className: 'hint', attributes: { role: 'status' } });
    const save = element('button', {
      className: 'button button-small',
      text: 'Save',
      attributes: { type: 'button' },
    });
    const erase = element('button', {
      className: 'button button-small button-secondary',
      text: 'Erase answer',
      attributes: { type: 'button' },
    });
    const item = element('li', { className: 'card answer', attributes: { 'data-id': answer.id } }, [
      element('div', { className: 'answer-head' }, [
        element('h2', { className: 'answer-score', attributes: { id: headingId } }, [
          element('span', { className: 'visually-hidden', text: 'Score ' }),
          String(answer.score),
        ]),
        element('span', {
          className: `badge badge-${answer.category}`,
          text: groupNames[answer.category] ?? answer.category,
        }),
        element('span', { className: 'muted', text: answer.survey }),
        element('span', { className: 'muted', text: `Segment: ${answer.segment}` }),
        element('time', {
          className: 'muted',
          text: when,
          attributes: { datetime: answer.submitted_at },
        }),
      ]),
      comment,
      element('div', { className: 'answer-follow-up' }, [
        element('div', { className: 'field' }, [
          element('label', { text: 'Status', attributes: { for: statusSelect.id } }),
          statusSelect,
        ]),
        element('div', { className: 'field' }, [
          element('label', { text: 'Private note', attributes: { for: note.id } }),
          note,
        ]),
        element('div', { className: 'answer-actions' }, [save, erase, saved]),
      ]),
    ]);
    item.setAttribute('aria-labelledby', headingId);

    save.addEventListener('click', async () => {
      saved.textContent = 'Saving…';
      try {
        const response = await session.api(`../api/responses/${encodeURIComponent(answer.id)}`, {
          method: 'PATCH',
          body: { status: statusSelect.value, note: note.value },
        });
        const stored = await response.json();
        statusSelect.value = stored.status;
        note.value = stored.note;
        saved.textContent = `Saved: ${stored.status}`;
      } catch (failure) {
        saved.textContent = '';
        failed(failure);
      }
    });

    // Erasing asks once more in place: the second click erases.
    erase.addEventListener('click', async () => {
      if (erase.dataset.confirm !== 'true') {
        erase.dataset.confirm = 'true';
        erase.textContent = 'Erase for good';
        saved.textContent =
          'Erasing removes the answer from every number and export. Click again to erase.';
        return;
      }
      try {
        await session.api(`../api/responses/${encodeURIComponent(answer.id)}`, {
          method: 'DELETE',
        });
        const next = item.nextElementSibling ?? item.previousElementSibling;
        item.remove();
        $('inbox-status').textContent = 'The answer was erased.';
        (next?.querySelector('select') ?? $('inbox-heading')).focus();
        onChange();
      } catch (failure) {
        failed(failure);
      }
    });
    return item;
  }

  async function load({ more = false } = {}) {
    const ticket = ++state.loading;
    $('inbox-error').hidden = true;
    const parameters = filterQuery();
    if (more && state.before) parameters.set('before', String(state.before));
    try {
      const page = await (await session.api(`../api/inbox?${parameters}`)).json();
      if (ticket !== state.loading) return;
      const items = page.entries.map(answerItem);
      if (more) $('inbox-list').append(...items);
      else $('inbox-list').replaceChildren(...items);
      state.before = page.next_before;
      $('inbox-more').hidden = !page.next_before;
      const shown = $('inbox-list').children.length;
      $('inbox-status').textContent = shown
        ? `${format.count(shown)} ${shown === 1 ? 'answer' : 'answers'} shown, newest first${page.next_before ? '; older ones follow' : ''}.`
        : 'No answer matches these filters.';
      document.documentElement.dataset.inbox = String(ticket);
    } catch (failure) {
      failed(failure);
    }
  }

  inbox.setSurveys = (surveys) => {
    const select = $('filter-survey');
    const chosen = select.value;
    select.replaceChildren(
      element('option', { text: 'All surveys', attributes: { value: '' } }),
      ...surveys.map((survey) =>
        element('option', { text: survey.survey, attributes: { value: survey.survey } }),
      ),
    );
    select.value = surveys.some((survey) => survey.survey === chosen) ? chosen : '';
  };

  let setUp = false;
  inbox.start = async (surveys) => {
    if (!setUp) {
      setUp = true;
      const scores = $('filter-score');
      for (let score = 0; score <= 10; score += 1) {
        scores.append(
          element('option', { text: String(score), attributes: { value: String(score) } }),
        );
      }
      $('inbox-filters').addEventListener('submit', (event) => {
        event.preventDefault();
        load();
      });
      // The form's reset clears the fields after this event; load after it.
      $('inbox-filters').addEventListener('reset', () => setTimeout(load));
      $('inbox-more').addEventListener('click', () => load({ more: true }));
    }
    inbox.setSurveys(surveys);
    await load();
  };
  inbox.reload = () => load();
  return inbox;
}
