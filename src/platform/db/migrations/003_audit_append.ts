// Appending an audit event in one statement: the database takes the next place in the chain,
// links it to the previous hash and stores it, atomically. The application supplies the hash of
// the event's content; the chain hash is sha256(previous hash : sequence : content hash).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function audit_append(
      p_chain text, p_at timestamptz, p_actor_type text, p_actor_id text, p_actor_role text,
      p_on_behalf_of uuid, p_patient_id uuid, p_practice_ods text, p_action text, p_subject text,
      p_outcome text, p_ip text, p_user_agent text, p_details jsonb, p_content_hash text
    ) returns bigint language plpgsql as $$
    declare
      v_seq bigint;
      v_prev text;
      v_hash text;
    begin
      update audit_chain_heads set seq = seq + 1 where chain = p_chain returning seq, hash into v_seq, v_prev;
      if not found then
        insert into audit_chain_heads (chain, seq, hash) values (p_chain, 0, repeat('0', 64)) on conflict (chain) do nothing;
        update audit_chain_heads set seq = seq + 1 where chain = p_chain returning seq, hash into v_seq, v_prev;
      end if;
      v_hash := encode(sha256(convert_to(v_prev || ':' || v_seq::text || ':' || p_content_hash, 'UTF8')), 'hex');
      insert into audit_events (chain, seq, at, actor_type, actor_id, actor_role, on_behalf_of, patient_id, practice_ods, action, subject, outcome, ip, user_agent, details, prev_hash, hash)
      values (p_chain, v_seq, p_at, p_actor_type, p_actor_id, p_actor_role, p_on_behalf_of, p_patient_id, p_practice_ods, p_action, p_subject, p_outcome, p_ip, p_user_agent, p_details, v_prev, v_hash);
      update audit_chain_heads set hash = v_hash where chain = p_chain;
      return v_seq;
    end $$;
  `.execute(db);
}
