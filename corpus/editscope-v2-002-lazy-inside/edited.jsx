import React from 'react';

export function UserCard({ user, onSelect }) {
  const initials = user.name
    .split(' ')
    .map((part) => part[0])
    .join('');
  return (
    <div className="card" role="button" onClick={() => onSelect(user.id)}>
      <span className="avatar">{initials}</span>
      <div className="details">
        {/* ... */}
      </div>
    </div>
  );
}
