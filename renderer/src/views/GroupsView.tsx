/** Consumer groups, lag over time, built-in consumers, offset resets (issue "Read and consume"). */
export function GroupsView() {
  return (
    <section>
      <h1>Consumer groups</h1>
      <div className="empty">The consumer groups view is not built yet.</div>
    </section>
  );
}
