/** The message browser (issue "Read and consume"). */
export function MessagesView() {
  return (
    <section>
      <h1>Messages</h1>
      <div className="empty">The message browser is not built yet.</div>
    </section>
  );
}
