/**
 * The message list: a header and a virtualised grid of rows (partition, offset,
 * timestamp and its type, key, value, headers, size, codec). Rows come from the page
 * cache (store/message-pages.ts), which this component tells what is visible; a row not
 * fetched yet shows as a placeholder. Tombstones, transaction markers and offsets left
 * empty by compaction are marked.
 */
import { useCallback, useEffect, useReducer, useRef, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { BrowseRow } from '../../../../engine/api/contract';
import { useStore } from '../../store';
import { messagePages } from '../../store/records/browse';
import { formatTimestamp, previewText } from '../../components/format';
import { VirtualRows } from './VirtualRows';

export const ROW_HEIGHT = 28;

export function MessageList({ rowCount, emptyText }: { rowCount: number; emptyText: string }) {
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  useEffect(() => messagePages.subscribe(redraw), []);
  const { scroll, selected, range, mode } = useStore(useShallow((s) => ({ scroll: s.msgScroll, selected: s.msgSelected, range: s.msgRange, mode: s.msgMode })));
  const select = useStore((s) => s.msgSelect);
  const setMode = useStore((s) => s.msgSetMode);
  const scrollTo = useStore((s) => s.msgScrollTo);
  const visible = useRef<[number, number]>([0, 0]);
  const onRange = useCallback((first: number, last: number) => {
    visible.current = [first, last];
    messagePages.want(first, last);
  }, []);
  const onUserScroll = useCallback(
    (info: { atEnd: boolean; up: boolean }) => {
      // Scrolling away from the end pauses the live tail; it resumes with the Live button.
      if (mode === 'live' && info.up && !info.atEnd) setMode('paused');
    },
    [mode, setMode],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const at = selected ? selected.row + (e.key === 'ArrowDown' ? 1 : -1) : 0;
    const index = Math.max(0, Math.min(rowCount - 1, at));
    const row = messagePages.row(index);
    if (!row) return;
    select(row, e.shiftKey);
    // Keep the selected row in view (the last visible row may be only partly shown).
    const [first, last] = visible.current;
    if (index <= first) scrollTo(index, 'start');
    else if (index >= last) scrollTo(index, 'end');
  };

  const renderRow = (i: number) => {
    const row = messagePages.row(i);
    const isSelected = selected?.row === i;
    const inRange = range !== null && i >= range.from && i <= range.to;
    if (!row) return <div className="msg-row msg-loading" data-row={i}><span className="muted">row {i + 1} …</span></div>;
    return <Row row={row} selected={isSelected} inRange={inRange} onPick={(extend) => select(row, extend)} />;
  };

  return (
    <div className="msg-list" data-testid="message-list">
      <div className="msg-row msg-head" role="row">
        <span className="num">P</span>
        <span className="num">Offset</span>
        <span>Timestamp</span>
        <span>Key</span>
        <span>Value</span>
        <span>Headers</span>
        <span className="num">Size</span>
        <span>Codec</span>
      </div>
      {rowCount === 0 ? (
        <div className="empty msg-empty" data-testid="messages-empty">{emptyText}</div>
      ) : (
        <VirtualRows
          rowCount={rowCount}
          rowHeight={ROW_HEIGHT}
          renderRow={renderRow}
          onRange={onRange}
          scrollTo={scroll}
          onUserScroll={onUserScroll}
          onKeyDown={onKeyDown}
          testId="message-rows"
          ariaLabel="Messages"
        />
      )}
      {messagePages.lastError && <p className="form-error small" role="alert">{messagePages.lastError}</p>}
    </div>
  );
}

function Row({ row, selected, inRange, onPick }: { row: BrowseRow; selected: boolean; inRange: boolean; onPick: (extend: boolean) => void }) {
  const cls = `msg-row msg-${row.kind}${selected ? ' selected' : ''}${inRange ? ' in-range' : ''}`;
  const testId = `msg-${row.partition}-${row.offset}`;
  if (row.kind === 'gap') {
    return (
      <div className={cls} role="row" data-testid={testId} onClick={(e) => onPick(e.shiftKey)}>
        <span className="num">{row.partition}</span>
        <span className="num mono">{row.offset}</span>
        <span className="msg-gap-text">no record at this offset any more (removed by compaction)</span>
      </div>
    );
  }
  return (
    <div className={cls} role="row" data-testid={testId} onClick={(e) => onPick(e.shiftKey)} title={row.kind === 'control' ? 'A transaction marker written by the broker' : undefined}>
      <span className="num">{row.partition}</span>
      <span className="num mono">{row.offset}</span>
      <span className="mono nowrap">
        {formatTimestamp(row.timestampMs!)}
        <span className="ts-type" title={row.timestampType === 'LogAppendTime' ? 'LogAppendTime: set by the broker when it appended' : 'CreateTime: set by the producer'}>
          {row.timestampType === 'LogAppendTime' ? 'L' : 'C'}
        </span>
      </span>
      <span className="mono cell">
        {row.internal ? (
          <span title={`${row.internal.key} (a record the brokers write to __consumer_offsets, decoded)`} data-testid="internal-key">
            {row.internal.key}
          </span>
        ) : row.key === null ? (
          <span className="null">null</span>
        ) : (
          <Bytes p={row.key} />
        )}
      </span>
      <span className="mono cell">
        {row.internal ? (
          row.internal.value === null ? (
            <span className="tag tag-tombstone" title="A tombstone: this offset or group was deleted or expired.">deleted</span>
          ) : (
            <span data-testid="internal-value">{row.internal.value}</span>
          )
        ) : row.kind === 'control' ? (
          <span className="tag tag-control">{row.controlType} marker</span>
        ) : row.value === null ? (
          <span className="tag tag-tombstone" title="A null value: a tombstone. On a compacted topic it deletes the key.">tombstone</span>
        ) : (
          <Bytes p={row.value} />
        )}
      </span>
      <span className="mono cell small">
        {row.headers.map((h, i) => (
          <span key={i} className="hdr">
            {h.key}={h.value === null ? 'null' : previewText(h.value)}
          </span>
        ))}
        {row.headerCount > row.headers.length && <span className="muted"> +{row.headerCount - row.headers.length}</span>}
      </span>
      <span className="num small">{row.sizeBytes} B</span>
      <span className="small">{row.compression}{row.transactional ? ' · txn' : ''}</span>
    </div>
  );
}

function Bytes({ p }: { p: { text: string; binary: boolean; truncated: boolean; sizeBytes: number } }) {
  if (p.binary) return <span title={`${p.sizeBytes} bytes, not UTF-8 text`}><span className="tag">bin</span> {p.text}{p.truncated ? ' …' : ''}</span>;
  return <>{previewText(p)}</>;
}
