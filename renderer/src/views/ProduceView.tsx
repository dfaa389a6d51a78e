/** The producer panel and load generator (issue "See the cluster work"). */
export function ProduceView() {
  return (
    <section>
      <h1>Produce</h1>
      <div className="empty">The producer panel is not built yet.</div>
    </section>
  );
}
