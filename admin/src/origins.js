// The dashboard's answers by channel (the page, a shared link, an e-mail)
// and by campaign, from /api/summary?by=channel|campaign: the collector's
// core computed every number from its counts; this module lays them out.
// The card stays hidden while every answer came from the page without a
// campaign.
import { $, element } from '../../demo/src/calc/dom.js';
import * as format from '../../demo/src/format.js';

const groupings = [
  { by: 'channel', table: 'channel-table' },
  { by: 'campaign', table: 'campaign-table' },
];

const channelNames = { web: 'Web page', link: 'Shared link', email: 'E-mail' };

function row(group, by) {
  const name = by === 'channel' ? (channelNames[group.key] ?? group.key) : group.key;
  const interval = group.interval
    ? `${format.fixed(group.interval.low, 1)} to ${format.fixed(group.interval.high, 1)}`
    : '–';
  const cells = [
    element('th', { text: name, attributes: { scope: 'row', dir: 'auto' } }),
    element('td', { className: 'num', text: format.count(group.n) }),
    element('td', { className: 'num', text: group.n > 0 ? format.score(group.nps) : '–' }),
    element('td', { className: 'num', text: interval }),
  ];
  if (by === 'campaign') {
    const invitations = group.invitations ?? null;
    const rate = group.response_rate ?? null;
    cells.push(
      element('td', {
        className: 'num',
        text: invitations === null ? '–' : format.count(invitations),
      }),
      element('td', { className: 'num', text: rate === null ? '–' : format.percent(rate * 100) }),
    );
  }
  return element('tr', {}, cells);
}

/** Fills the card for `survey`; `fetchSummary(query)` resolves with a summary. */
export async function showOrigins(survey, fetchSummary) {
  const summaries = await Promise.all(
    groupings.map(({ by }) =>
      fetchSummary(`../api/summary?survey=${encodeURIComponent(survey)}&themes=0&by=${by}`),
    ),
  );
  summaries.forEach((summary, index) => {
    const { by, table } = groupings[index];
    $(table)
      .querySelector('tbody')
      .replaceChildren(...summary.groups.map((group) => row(group, by)));
  });
  const [channels, campaigns] = summaries;
  const pageOnly =
    channels.groups.every((group) => group.key === 'web') &&
    campaigns.groups.every((group) => group.key === '(none)');
  $('origins').hidden = pageOnly;
}
